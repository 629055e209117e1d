/** Stage 3 questions no file can answer: how a rollback goes, who does it, where keys live. */
import { askCheck } from './ask';

export const rollbackSteps = askCheck({
  id: 'deploy.ask.rollback-steps',
  stage: 3,
  title: 'The steps to roll back a bad deploy are written down',
  question:
    'If a deploy breaks sign-up tonight, are the steps to go back to the previous version (code and database) written down where the person on call can find them?',
  why: 'A rollback worked out under pressure takes hours and goes wrong; a written one takes minutes. Buyers and investors ask for it, and a contractor cannot guess your host’s buttons.',
  fix: [
    'Write one page: how to redeploy the previous version on your host (Vercel: Deployments → ⋯ → Promote to Production; Render/Fly: roll back to a previous release), how to undo the last migration, who to tell.',
    'Keep it next to the code (docs/rollback.md) and link it from the README.',
    'Try it once on staging, and time it.',
  ],
  impact: 'high',
});

export const deployOwner = askCheck({
  id: 'deploy.ask.owner',
  stage: 3,
  title: 'A named person owns deploys and rollbacks',
  question:
    'Is one named person (with a backup) responsible for deploying and for rolling back, and do they have the access to do both?',
  why: 'When everyone can deploy and no one owns it, a broken release waits until someone notices. An owner with the right access, and a backup when they are away, is what makes a rollback happen at 2 a.m.',
  fix: [
    'Name the owner and a backup in the README or your runbook.',
    'Check both can log in to the host, the database and the DNS provider, with two-factor authentication on.',
  ],
  impact: 'medium',
});

export const secretStore = askCheck({
  id: 'deploy.ask.secret-store',
  stage: 3,
  title: 'Production keys live in the platform’s secret store',
  question:
    'Are all production keys set in your hosting platform’s environment variables or a secret manager, and nowhere else (not in a shared doc, chat or the repository)?',
  why: 'Keys pasted into chats and documents leak with them, and no one knows which copy is current. A platform secret store keeps them in one place, encrypted, with access you can revoke.',
  fix: [
    'Move each key into your host’s environment variables (Vercel/Netlify/Render/Fly: project settings → Environment variables), or a manager such as Doppler, 1Password or AWS Secrets Manager.',
    'Delete the copies in chats and documents, and rotate any key that was shared there.',
    'Give staging its own keys.',
  ],
  impact: 'high',
});
