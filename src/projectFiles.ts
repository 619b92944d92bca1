/**
 * Files the station reads at start (payment functions, WSDL, XSD) are found from the package root,
 * the nearest folder up with a package.json: the same code then runs from src/ (tsx) and from the
 * compiled dist/src/ (npm start), which holds no copy of them.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

function packageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

const ROOT = packageRoot(path.dirname(fileURLToPath(import.meta.url)));

/** The absolute path of a file of the package, given from its root ("wsdl/paForNode.wsdl"). */
export const projectFile = (...segments: string[]) => path.join(ROOT, ...segments);
