/**
 * Settings → This product, second part: the probes that send more than a look (each off until
 * the founder turns it on) and the AI feature's endpoint for stage 1's prompt-injection set.
 */
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { aiEndpointProblem } from '../../../shared/ai-endpoint';
import type { AiEndpoint, Workspace } from '../../../shared/workspace';
import { useAppStore } from '../store';

const OPT_INS = [
  {
    key: 'loginRateLimit',
    label: 'Test my login rate limit',
    what: 'Stage 4 sends up to 30 failed sign-ins to your login page to see whether it slows them down.',
  },
  {
    key: 'slackTestAlert',
    label: 'Send a Slack test alert',
    what: 'Stage 6 posts one clearly labelled test message to your alerts channel on each run.',
  },
  {
    key: 'aiRedTeam',
    label: 'Test my AI feature against prompt injection',
    what: 'Stage 1 sends a small, fixed set of tricky requests to the endpoint below and reads the replies.',
  },
] as const;

type OptInKey = (typeof OPT_INS)[number]['key'];

export function ProductProbes({ workspace }: { workspace: Workspace }) {
  const id = useId();
  const saving = useAppStore((s) => s.savingDetails);
  const saveDetails = useAppStore((s) => s.saveDetails);
  const [optIns, setOptIns] = useState<Record<OptInKey, boolean>>({
    loginRateLimit: workspace.optIns?.loginRateLimit === true,
    slackTestAlert: workspace.optIns?.slackTestAlert === true,
    aiRedTeam: workspace.optIns?.aiRedTeam === true,
  });
  const ep = workspace.aiEndpoint;
  const [url, setUrl] = useState(ep?.url ?? '');
  const [method, setMethod] = useState<'POST' | 'PUT'>(ep?.method ?? 'POST');
  const [bodyTemplate, setBodyTemplate] = useState(
    ep?.bodyTemplate ?? '{"messages": [{"role": "user", "content": {{input}}}]}',
  );
  const [replyPath, setReplyPath] = useState(ep?.replyPath ?? '');
  const [authHeader, setAuthHeader] = useState(ep?.authHeader ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  const [every, setEvery] = useState(workspace.watch?.every ?? '');

  function submit(event: FormEvent) {
    event.preventDefault();
    let aiEndpoint: AiEndpoint | null = null;
    if (url.trim()) {
      aiEndpoint = {
        url: url.trim(),
        method,
        bodyTemplate,
        ...(replyPath.trim() ? { replyPath: replyPath.trim() } : {}),
        ...(authHeader.trim() ? { authHeader: authHeader.trim() } : {}),
      };
      const own = [workspace.domain, ...workspace.hosts.map((h) => h.name)];
      const why = aiEndpointProblem(aiEndpoint, own);
      if (why) return setProblem(why);
    } else if (optIns.aiRedTeam) {
      return setProblem('The prompt-injection test needs the address of your AI endpoint.');
    }
    setProblem(null);
    void saveDetails({ optIns, aiEndpoint, watch: every ? { every } : null });
  }

  return (
    <section className="card" aria-labelledby={`${id}-heading`} data-testid="product-probes">
      <h2 id={`${id}-heading`}>Background checks and probes that send more than a look</h2>
      <p className="muted">
        Each probe below sends requests that a visitor would not, so each stays off until you turn
        it on. Nothing else about your product changes.
      </p>
      <form onSubmit={submit} noValidate>
        <fieldset className="onboarding-group">
          <legend>Turn on</legend>
          {OPT_INS.map((o) => (
            <div key={o.key} className="onboarding-field">
              <label className="onboarding-check">
                <input
                  type="checkbox"
                  checked={optIns[o.key]}
                  aria-describedby={`${id}-${o.key}-what`}
                  onChange={(e) => setOptIns({ ...optIns, [o.key]: e.target.checked })}
                />
                {o.label}
              </label>
              <p id={`${id}-${o.key}-what`} className="field-hint">
                {o.what}
              </p>
            </div>
          ))}
        </fieldset>
        <fieldset className="onboarding-group">
          <legend>Re-check in the background</legend>
          <div className="onboarding-field">
            <label htmlFor={`${id}-every`}>While Launch Ready is open, re-check</label>
            <select
              id={`${id}-every`}
              value={every}
              aria-describedby={`${id}-every-what`}
              onChange={(e) => setEvery(e.target.value)}
            >
              <option value="">Never (only when I press Re-check)</option>
              <option value="1h">Every hour</option>
              <option value="6h">Every 6 hours</option>
              <option value="24h">Every day</option>
              {every && !['1h', '6h', '24h'].includes(every) && (
                <option value={every}>Every {every}</option>
              )}
            </select>
            <p id={`${id}-every-what`} className="field-hint">
              When something gets worse — a check that newly fails, a certificate entering its
              warning window — you get a notification, once.
            </p>
          </div>
        </fieldset>
        <fieldset className="onboarding-group">
          <legend>Your AI endpoint (optional)</legend>
          <div className="onboarding-field">
            <label htmlFor={`${id}-url`}>Address</label>
            <input
              id={`${id}-url`}
              type="text"
              spellCheck={false}
              placeholder={`https://api.${workspace.domain}/v1/assistant`}
              value={url}
              onChange={(e) => setUrl(e.target.value)}
            />
          </div>
          <div className="onboarding-field">
            <label htmlFor={`${id}-method`}>Method</label>
            <select
              id={`${id}-method`}
              value={method}
              onChange={(e) => setMethod(e.target.value === 'PUT' ? 'PUT' : 'POST')}
            >
              <option value="POST">POST</option>
              <option value="PUT">PUT</option>
            </select>
          </div>
          <div className="onboarding-field">
            <label htmlFor={`${id}-body`}>
              Request body (JSON, with {'{{input}}'} where the text goes)
            </label>
            <textarea
              id={`${id}-body`}
              rows={3}
              spellCheck={false}
              value={bodyTemplate}
              onChange={(e) => setBodyTemplate(e.target.value)}
            />
          </div>
          <div className="onboarding-field">
            <label htmlFor={`${id}-reply`}>
              Where the reply’s text is (e.g. choices.0.message.content)
            </label>
            <input
              id={`${id}-reply`}
              type="text"
              spellCheck={false}
              value={replyPath}
              onChange={(e) => setReplyPath(e.target.value)}
            />
          </div>
          <div className="onboarding-field">
            <label htmlFor={`${id}-auth`}>
              Header for the key (its value goes in Integrations)
            </label>
            <input
              id={`${id}-auth`}
              type="text"
              spellCheck={false}
              placeholder="Authorization"
              value={authHeader}
              onChange={(e) => setAuthHeader(e.target.value)}
            />
          </div>
        </fieldset>
        {problem && (
          <p className="field-hint field-hint-error" role="alert">
            {problem}
          </p>
        )}
        <div className="onboarding-actions">
          <button type="submit" className="button primary" disabled={saving}>
            {saving ? 'Saving…' : 'Save these settings'}
          </button>
        </div>
      </form>
    </section>
  );
}
