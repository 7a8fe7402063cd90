// The accessibility audit the map and chart tests share (not a test itself):
// axe-core from node_modules, evaluated in the page as it is.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const axePath = fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url));

/** Runs axe-core on the page and fails on any serious or critical violation, naming each. */
export async function assertNoSeriousViolations(page, what) {
  // Evaluated through the DevTools protocol: a <script> tag would be refused
  // by the page's Content-Security-Policy, as it should be.
  await page.evaluate(readFileSync(axePath, 'utf8'));
  const violations = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
      }));
  });
  assert.deepEqual(violations, [], `${what}: axe-core found serious or critical violations`);
}
