/** The credential vault: secrets in the OS keychain, never in files, logs or results. */
export type { CredentialStatus } from './credential-status';
export { VaultError } from './errors';
export type { VaultErrorCode } from './errors';
export { envVarName } from './env-override';
export { DEFAULT_KEYCHAIN_SERVICE, openVault } from './vault';
export type { Vault } from './vault';
export { vaultCredentials } from './credentials';
export {
  SIGNING_IDENTITY_ACCOUNT,
  openSigningIdentityStore,
  signingIdentityAccount,
} from './signing-identity-store';
export type { SigningIdentityStore } from './signing-identity-store';
export { createSigningIdentity, openSigningKey, signingIdentityFromP12 } from './signing-identity';
export type { SigningIdentity, SigningIdentityKind } from './signing-identity';
