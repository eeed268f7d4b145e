// Copies the pinned third-party browser files from node_modules into dist/vendor/,
// which Django's staticfiles picks up (STATICFILES_DIRS includes frontend/dist).
// Run through `npm run build` after `npm ci`; `./dev start` and `./dev test` do both.
import { cpSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const vendor = join(here, "dist", "vendor");

// [file or folder in the package, name in dist/vendor]
const copies = [
  ["htmx.org/dist/htmx.min.js", "htmx.min.js"],
  // axe-core is used by the browser tests only (accessibility checks).
  ["axe-core/axe.min.js", "axe.min.js"],
  // OpenSeadragon: the deep-zoom viewer of heritage images (IIIF level-0 tiles), with
  // the button images it loads from its prefixUrl.
  ["openseadragon/build/openseadragon/openseadragon.min.js", "openseadragon/openseadragon.min.js"],
  // Its source map too: the minified file names it, and Django's manifest storage
  // (production) refuses to hash a file whose source map is missing.
  ["openseadragon/build/openseadragon/openseadragon.min.js.map", "openseadragon/openseadragon.min.js.map"],
  ["openseadragon/build/openseadragon/images", "openseadragon/images"],
  // Leaflet: the stories map (pages work without it: every map has a list beside it).
  // Its stylesheet loads the images folder by relative URL; the source map as above.
  ["leaflet/dist/leaflet.js", "leaflet/leaflet.js"],
  ["leaflet/dist/leaflet.js.map", "leaflet/leaflet.js.map"],
  ["leaflet/dist/leaflet.css", "leaflet/leaflet.css"],
  ["leaflet/dist/images", "leaflet/images"],
];

mkdirSync(vendor, { recursive: true });
let missing = 0;
for (const [source, target] of copies) {
  const from = join(here, "node_modules", source);
  if (!existsSync(from)) {
    console.error(`missing ${from}: run "npm ci" in frontend/ first`);
    missing += 1;
    continue;
  }
  const to = join(vendor, target);
  mkdirSync(dirname(to), { recursive: true });
  rmSync(to, { recursive: true, force: true }); // a folder keeps no files of an older version
  cpSync(from, to, { recursive: true });
  console.log(`dist/vendor/${target} <- node_modules/${source}`);
}
process.exit(missing ? 1 : 0);
