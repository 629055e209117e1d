/**
 * Stage 7's deliverable: export the signed handover PDF of the last run, and check a handover
 * someone sends you (drop it here or choose it) — its signature, who signed it, and what it is
 * about — then import it as a product when it is valid.
 */
import { useId, useRef, useState } from 'react';
import type { DragEvent } from 'react';
import { MAX_HANDOVER_BASE64 } from '../../../shared/handover';
import { formatWhen } from '../lib/derive';
import { useAppStore } from '../store';

/** Hands a base64 PDF to the browser's save: a download in a tab, the save dialog in Electron. */
function savePdf(fileName: string, pdfBase64: string): void {
  const binary = atob(pdfBase64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  // Revoked after the click has been handled; the download keeps its own copy.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function readAsBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read.'));
    reader.readAsDataURL(file);
  });
}

const KIND_WORDS = {
  created: 'this product’s own signing identity, kept in your keychain',
  imported: 'the signing certificate you imported',
  ephemeral: 'a throwaway identity made for the demo (not kept)',
} as const;

export function HandoverPanel() {
  return (
    <>
      <ExportHandover />
      <CheckHandover />
    </>
  );
}

function ExportHandover() {
  const id = useId();
  const exporting = useAppStore((s) => s.exporting);
  const exported = useAppStore((s) => s.exported);
  const error = useAppStore((s) => s.exportError);
  const exportHandover = useAppStore((s) => s.exportHandover);
  const hasRun = useAppStore((s) => s.lastRun !== null);

  return (
    <section className="card handover" aria-labelledby={`${id}-h`} data-testid="handover-export">
      <h3 id={`${id}-h`}>The signed handover</h3>
      <p>
        One PDF a contractor can trust: the verdict, the risk list, every check with its evidence
        and fix, the domain map, certificate dates, the services your product uses, and how to
        rotate keys, roll back and check alerts — from your answers, with blanks shown as open
        items. It carries the same data as a JSON file inside, and a signature that shows if a
        single byte changes.
      </p>
      {!hasRun && <p className="muted">Run the checks first: the handover reports the last run.</p>}
      <button
        type="button"
        className="button primary"
        disabled={exporting || !hasRun}
        onClick={() => void exportHandover(savePdf)}
      >
        {exporting ? 'Signing the handover…' : 'Export the signed handover (PDF)'}
      </button>
      {error && (
        <p className="notice notice-error" role="alert">
          Could not export: {error}
        </p>
      )}
      {exported && (
        <div className="notice notice-calm" role="status">
          <p>
            <strong>{exported.fileName}</strong> — {exported.pageCount} pages,{' '}
            {Math.round(exported.bytes / 1024)} KB, signed with {KIND_WORDS[exported.signer.kind]}.
          </p>
          <p className="fingerprint">
            Signer: {exported.signer.commonName}
            <br />
            SHA-256 fingerprint: <code>{exported.signer.fingerprint}</code>
          </p>
        </div>
      )}
    </section>
  );
}

function CheckHandover() {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const [pending, setPending] = useState<string | null>(null);
  const verifying = useAppStore((s) => s.verifying);
  const verification = useAppStore((s) => s.verification);
  const verifyError = useAppStore((s) => s.verifyError);
  const importing = useAppStore((s) => s.importing);
  const importError = useAppStore((s) => s.importError);
  const verifyHandover = useAppStore((s) => s.verifyHandover);
  const importHandover = useAppStore((s) => s.importHandover);
  const [localError, setLocalError] = useState<string | null>(null);

  async function take(file: File | undefined) {
    if (!file) return;
    setLocalError(null);
    if (file.size > (MAX_HANDOVER_BASE64 / 4) * 3) {
      setLocalError(`${file.name} is too large to be a handover.`);
      return;
    }
    try {
      const b64 = await readAsBase64(file);
      setPending(b64);
      await verifyHandover(file.name, b64);
    } catch (err) {
      setLocalError(`${file.name}: ${(err as Error).message}`);
    }
  }

  function onDrop(event: DragEvent) {
    event.preventDefault();
    setOver(false);
    void take(event.dataTransfer.files[0]);
  }

  const r = verification?.result;
  return (
    <section className="card handover" aria-labelledby={`${id}-h`} data-testid="handover-check">
      <h3 id={`${id}-h`}>Check a handover</h3>
      <div
        className={over ? 'dropzone dropzone-over' : 'dropzone'}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <p>Drop a handover PDF here, or</p>
        <label htmlFor={`${id}-file`} className="button">
          Choose a PDF…
        </label>
        <input
          ref={input}
          id={`${id}-file`}
          className="visually-hidden"
          type="file"
          accept="application/pdf,.pdf"
          onChange={(e) => {
            void take(e.target.files?.[0]);
            e.target.value = '';
          }}
        />
      </div>
      {verifying && <p role="status">Checking the signature…</p>}
      {(localError ?? verifyError) && (
        <p className="notice notice-error" role="alert">
          {localError ?? verifyError}
        </p>
      )}
      {verification && r && (
        <div
          className={
            r.valid ? 'notice notice-calm verify-result' : 'notice notice-error verify-result'
          }
          role="status"
          data-valid={r.valid ? 'yes' : 'no'}
        >
          <p>
            <strong>
              <span aria-hidden="true">{r.valid ? '✓ ' : '✗ '}</span>
              {verification.fileName}: {r.valid ? 'the signature is valid' : 'not valid'}
            </strong>
            . {r.reason}
          </p>
          {r.signerCommonName && (
            <p className="fingerprint">
              Signed by {r.signerCommonName}
              {r.selfSigned
                ? ' (its own certificate: compare the fingerprint with the one you were given)'
                : ''}
              {r.signedAt ? ` on ${formatWhen(r.signedAt)}` : ''}.
              {r.fingerprint && (
                <>
                  <br />
                  SHA-256 fingerprint: <code>{r.fingerprint}</code>
                </>
              )}
            </p>
          )}
          {r.product && (
            <p>
              About <strong>{r.product.name}</strong> ({r.product.domain}), checked{' '}
              {formatWhen(r.product.runFinishedAt)}: {r.product.headline}
            </p>
          )}
          {r.valid && r.attachmentPresent && pending && (
            <button
              type="button"
              className="button"
              disabled={importing}
              onClick={() => void importHandover(pending)}
            >
              {importing ? 'Importing…' : 'Import as a product'}
            </button>
          )}
          {importError && (
            <p className="field-hint field-hint-error" role="alert">
              Could not import: {importError}
            </p>
          )}
        </div>
      )}
    </section>
  );
}
