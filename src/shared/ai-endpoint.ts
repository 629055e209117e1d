/**
 * The founder's AI endpoint for stage 1's red-team set: how a probe's text goes into the request
 * and what makes a configuration acceptable. Schema-free, so the renderer can use it too.
 */

export const INPUT_PLACEHOLDER = '{{input}}';

/** The request body: the template with {{input}} replaced by the text as a JSON string. */
export function fillTemplate(template: string, text: string): string {
  return template.split(INPUT_PLACEHOLDER).join(JSON.stringify(text));
}

/**
 * Why this endpoint cannot be used, or null. Probes go only to the product's own hosts, over
 * http(s), and the template must be JSON with a place for the text.
 */
export function aiEndpointProblem(
  endpoint: { url: string; bodyTemplate: string },
  ownHosts: readonly string[],
): string | null {
  let url: URL;
  try {
    url = new URL(endpoint.url);
  } catch {
    return `AI endpoint: "${endpoint.url.slice(0, 200)}" is not a full address like https://api.example.com/v1/chat.`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return 'AI endpoint: the address must start with https:// (or http://).';
  if (url.username || url.password)
    return 'AI endpoint: put credentials in the keychain (Settings → Integrations → Your AI endpoint), not in the address.';
  const host = url.hostname.toLowerCase();
  if (!ownHosts.includes(host))
    return `AI endpoint: ${host} is not one of this product's hosts (${ownHosts.join(', ')}); probes only go to your own hosts. Add the host first.`;
  if (!endpoint.bodyTemplate.includes(INPUT_PLACEHOLDER))
    return `AI endpoint: the request body needs ${INPUT_PLACEHOLDER} where the user's text goes.`;
  try {
    JSON.parse(fillTemplate(endpoint.bodyTemplate, 'probe'));
  } catch (err) {
    return `AI endpoint: the request body is not JSON once ${INPUT_PLACEHOLDER} is filled in (${(err as Error).message}). Write ${INPUT_PLACEHOLDER} without quotes around it.`;
  }
  return null;
}
