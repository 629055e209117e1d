/**
 * Recognises test runs and deploys in CI shell commands and actions. Evidence is the matched
 * keyword only (`npm test`, `vercel deploy`), never the whole command line, which could carry a
 * hard-coded token.
 */

const TEST_COMMANDS: RegExp[] = [
  /\b(?:npm|pnpm|yarn|bun)\s+(?:run\s+)?test(?::[\w:-]+)?(?![\w-])/,
  /\bnpm\s+(?:t|tst|it|cit|install-test|install-ci-test)(?![\w-])/,
  /\b(?:vitest|jest|mocha|ava|jasmine|karma|testcafe|uvu)(?![\w-])/,
  /\b(?:playwright\s+test|cypress\s+run|ng\s+test|node\s+--test|deno\s+test|bun\s+test)\b/,
  /\b(?:pytest|py\.test|tox|nox|hatch\s+test)(?![\w-])/,
  /\bpython[\d.]*\s+-m\s+(?:pytest|unittest)\b/,
  /\bmanage\.py\s+test\b/,
  /\b(?:go\s+test|gotestsum|cargo\s+test|cargo\s+nextest)\b/,
  /\b(?:rspec|(?:bin\/)?rails\s+(?:test|spec)|rake\s+(?:test|spec))(?![\w-])/,
  /\b(?:phpunit|pest|artisan\s+test)(?![\w-])/,
  /\b(?:mvn|mvnw)\s+(?:[\w:-]+\s+)*?(?:test|verify)\b/,
  /\b(?:gradle|gradlew)\s+(?:[\w:-]+\s+)*?(?:test|check)\b/,
  /\b(?:dotnet|mix|flutter|swift)\s+test\b/,
  /\b(?:make|just|task)\s+(?:test|check)\b/,
  /\b(?:turbo|nx|lerna)\s+(?:run\s+|run-many\s+(?:-t\s+|--target[= ])?|affected\s+(?:-t\s+|--target[= ])?)?test\b/,
];

const DEPLOY_COMMANDS: RegExp[] = [
  /\bvercel\s+(?:deploy|--prod)\b/,
  /\bnetlify\s+deploy\b/,
  /\b(?:fly|flyctl)\s+deploy\b/,
  /\bwrangler\s+(?:deploy|publish|pages\s+deploy)\b/,
  /\brailway\s+up\b/,
  /\bgit\s+push\s+\S*heroku\b/,
  /\bheroku\s+container:release\b/,
  /\bfirebase\s+deploy\b/,
  /\b(?:serverless|sls|cdk|sam)\s+deploy\b/,
  /\bkubectl\s+(?:apply|set\s+image|rollout\s+restart)\b/,
  /\bhelm\s+(?:upgrade|install)\b/,
  /\bgcloud\s+(?:run|app|functions)\s+deploy\b/,
  /\beb\s+deploy\b/,
  /\baws\s+(?:s3\s+sync|ecs\s+update-service|lambda\s+update-function-code)\b/,
  /\bdocker\s+push\b/,
  /\bsupabase\s+(?:db\s+push|functions\s+deploy)\b/,
  /\bprisma\s+migrate\s+deploy\b/,
  /\b(?:terraform\s+apply|pulumi\s+up)\b/,
];

/** Actions (GitHub `uses:`) that run tests: owner/name, lower-case. */
const TEST_ACTIONS = new Set([
  'cypress-io/github-action',
  'artiomtr/jest-coverage-report-action',
  'mattallty/jest-github-action',
]);
const DEPLOY_ACTIONS = new Set([
  'amondnet/vercel-action',
  'nwtgck/actions-netlify',
  'netlify/actions',
  'superfly/flyctl-actions',
  'cloudflare/wrangler-action',
  'cloudflare/pages-action',
  'akhileshns/heroku-deploy',
  'firebaseextended/action-hosting-deploy',
  'aws-actions/amazon-ecs-deploy-task-definition',
  'google-github-actions/deploy-cloudrun',
  'google-github-actions/deploy-appengine',
  'azure/webapps-deploy',
  'actions/deploy-pages',
  'peaceiris/actions-gh-pages',
  'jamesives/github-pages-deploy-action',
  'appleboy/ssh-action',
  'easingthemes/ssh-deploy',
]);

/** npm's `npm init` placeholder: a "test" script that only fails. */
export function isPlaceholderTestScript(script: string): boolean {
  return /no test specified/i.test(script);
}

export interface CommandFindings {
  tests: string[];
  deploys: string[];
}

const SCRIPT_CALL =
  /\b(?:npm\s+run(?:-script)?|pnpm(?:\s+run)?|yarn(?:\s+run)?|bun\s+run)\s+([\w:.-]+)/g;
const INSTALLS =
  /^(?:npm\s+(?:i|install|ci|add)|yarn\s+(?:add|install)|pnpm\s+(?:add|i|install)|bun\s+(?:add|i|install)|pip\d?\s+install|echo|printf)\b/;

/**
 * Test and deploy evidence in a shell snippet. `scripts` (package.json's, when readable) lets
 * `npm run ci` count when its script runs vitest, and stops npm's placeholder "test" counting.
 */
export function classifyCommand(
  command: string,
  scripts: Record<string, string> | null,
  depth = 0,
): CommandFindings {
  const found: CommandFindings = { tests: [], deploys: [] };
  // Separate commands: `npm ci && npm test`, multi-line run blocks.
  for (const raw of command.split(/\r?\n|&&|\|\||;/)) {
    const part = raw.trim();
    if (part === '' || part.startsWith('#') || INSTALLS.test(part)) continue;
    for (const re of TEST_COMMANDS) {
      const m = re.exec(part);
      if (!m) continue;
      const word = m[0].replace(/\s+/g, ' ');
      if (/^(?:npm|pnpm|yarn|bun) (?:run )?test$|^npm t(?:st)?$/.test(word)) {
        const script = scripts?.test;
        if (script !== undefined && isPlaceholderTestScript(script)) continue;
      }
      found.tests.push(word);
      break;
    }
    for (const re of DEPLOY_COMMANDS) {
      const m = re.exec(part);
      if (m) {
        found.deploys.push(m[0].replace(/\s+/g, ' '));
        break;
      }
    }
    if (scripts && depth < 3) {
      for (const call of part.matchAll(SCRIPT_CALL)) {
        const name = call[1]!;
        const body = scripts[name];
        if (body === undefined || /^test(?::|$)/.test(name)) continue;
        const inner = classifyCommand(body, scripts, depth + 1);
        const via = call[0].replace(/\s+/g, ' ');
        found.tests.push(...inner.tests.map((t) => `${via} → ${t}`));
        found.deploys.push(...inner.deploys.map((d) => `${via} → ${d}`));
        if (inner.deploys.length === 0 && /^deploy(?::|$)/.test(name)) found.deploys.push(via);
      }
    }
  }
  return found;
}

/** Test and deploy evidence for a GitHub action reference such as `cypress-io/github-action@v6`. */
export function classifyAction(uses: string, inputs: Record<string, unknown>): CommandFindings {
  const name = uses.split('@')[0]!.toLowerCase().split('/').slice(0, 2).join('/');
  const found: CommandFindings = { tests: [], deploys: [] };
  if (TEST_ACTIONS.has(name)) found.tests.push(`uses: ${name}`);
  if (name === 'actions-rs/cargo' && inputs.command === 'test') found.tests.push('cargo test');
  if (DEPLOY_ACTIONS.has(name)) found.deploys.push(`uses: ${name}`);
  if (name === 'docker/build-push-action' && inputs.push === true) {
    found.deploys.push(`uses: ${name} (push)`);
  }
  return found;
}
