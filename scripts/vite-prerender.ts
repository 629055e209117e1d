/**
 * Vite plugin (build only): renders the welcome page with React's server renderer and puts the
 * markup into index.html's #root, so the page paints before the bundle has run.
 */
import { createServer } from 'vite';
import type { Plugin, PluginOption } from 'vite';

const EMPTY_ROOT = '<div id="root"></div>';

export function prerenderWelcome(root: string, plugins: PluginOption[]): Plugin {
  return {
    name: 'launch-ready:prerender-welcome',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      async handler(html) {
        if (!html.includes(EMPTY_ROOT)) throw new Error('index.html lost its empty #root.');
        const server = await createServer({
          configFile: false,
          root,
          plugins,
          logLevel: 'error',
          appType: 'custom',
          server: { middlewareMode: true, hmr: false, ws: false },
        });
        try {
          const mod = (await server.ssrLoadModule('/src/prerender.tsx')) as {
            prerenderWelcome(): string;
          };
          return html.replace(EMPTY_ROOT, `<div id="root">${mod.prerenderWelcome()}</div>`);
        } finally {
          await server.close();
        }
      },
    },
  };
}
