// Copies the pinned third-party browser files from node_modules into dist/vendor/,
// which Django's staticfiles picks up (STATICFILES_DIRS includes frontend/dist).
// Run through `npm run build` after `npm ci`; `./dev start` and `./dev test` do both.
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const vendor = join(here, "dist", "vendor");

// [package file, name in dist/vendor]
const files = [
  ["htmx.org/dist/htmx.min.js", "htmx.min.js"],
  // axe-core is used by the browser tests only (accessibility checks).
  ["axe-core/axe.min.js", "axe.min.js"],
];

mkdirSync(vendor, { recursive: true });
let missing = 0;
for (const [source, target] of files) {
  const from = join(here, "node_modules", source);
  if (!existsSync(from)) {
    console.error(`missing ${from}: run "npm ci" in frontend/ first`);
    missing += 1;
    continue;
  }
  copyFileSync(from, join(vendor, target));
  console.log(`dist/vendor/${target} <- node_modules/${source}`);
}
process.exit(missing ? 1 : 0);
