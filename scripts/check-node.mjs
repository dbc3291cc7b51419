// Runs before `npm test`, `npm start`, `npm run emulator`, `npm run preview` and `npm run bench`: they need Node.js 24 (for
// module.registerHooks), which the `node` devDependency puts first on PATH inside npm scripts. When
// its install script did not run (`npm ci --ignore-scripts`), the machine's own Node runs instead and
// would fail with an obscure SyntaxError; this says what happened and how to fix it.
import { pathToFileURL } from 'node:url';

export const REQUIRED_MAJOR = 24;

/** The problem with running on Node `version`, or undefined when there is none. */
export function nodeVersionProblem(version) {
  const major = Number(String(version).replace(/^v/, '').split('.')[0]);
  if (major >= REQUIRED_MAJOR) return undefined;
  return [
    `This needs Node.js ${REQUIRED_MAJOR} or later; this is Node.js ${version}.`,
    `The project's \`node\` devDependency provides Node.js ${REQUIRED_MAJOR} inside npm scripts, but its install script`,
    'has not run (was `npm ci --ignore-scripts` used?). Fix it with `npm rebuild node` (or `npm ci` without',
    `--ignore-scripts), or install Node.js ${REQUIRED_MAJOR} yourself.`,
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const problem = nodeVersionProblem(process.versions.node);
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
}
