// uPlot (MIT, ~50 KB minified, no dependencies) draws the report's charts: it is made for long
// time series on canvas, takes columnar arrays as they come from the figures, and shows values
// under the cursor out of the box; a report inlines it so the page opens from disk with no
// network. It is never copied into the repository: the build (scripts/bundle.ts) copies its
// dist files from node_modules beside the bundle, and the unbundled tree reads them in place.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const UPLOT_FILES = [
  { name: 'uPlot.iife.min.js', module: 'uplot/dist/uPlot.iife.min.js' },
  { name: 'uPlot.min.css', module: 'uplot/dist/uPlot.min.css' },
] as const;

export interface UplotAssets {
  js: string;
  css: string;
}

export function uplotAssets(): UplotAssets {
  const [js, css] = UPLOT_FILES.map((file) => {
    const besideBundle = join(__dirname, file.name);
    return readFileSync(existsSync(besideBundle) ? besideBundle : require.resolve(file.module), 'utf8');
  });
  return { js: js!, css: css! };
}
