import { runCli } from '../../support/cli';

/** `npm run demo`'s second half: the finite end-to-end run, as a user sees it. */
describe('smp demo', () => {
  it('sends a fleet through every stage, finds it all stored, and exits 0', async () => {
    const demo = await runCli(['demo']);
    expect(demo.stderr).toBe('');
    expect(demo.code).toBe(0);

    const accepted = Number(/gateway accepted (\d+) readings/.exec(demo.stdout)?.[1]);
    const stored = Number(/stored (\d+) readings/.exec(demo.stdout)?.[1]);
    expect(accepted).toBeGreaterThan(2000);
    expect(stored).toBe(accepted);
    expect(demo.stdout).toMatch(/a batch with one bad reading: 400, .*"path":"metrics\.temp_c"/);
    expect(demo.stdout).toMatch(/and (\d+) feature vectors/);
    expect(demo.stdout).toMatch(/late readings set aside: 201 /);
    expect(demo.stdout).toContain('done.');
  }, 240_000);
});
