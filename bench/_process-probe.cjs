// Loaded with `node --require` (through NODE_OPTIONS) into every Node.js process of a
// whole-process figure of bench/processes.ts, the command's own and the ones it starts: at exit it
// writes the process's peak resident set and CPU time (all threads) to
// $CDK8S_ARGOCD_BENCH_PROBE_DIR/<pid>.json. Without the variable it does nothing.
'use strict';
const dir = process.env.CDK8S_ARGOCD_BENCH_PROBE_DIR;
if (dir) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    try {
      require('fs').writeFileSync(require('path').join(dir, `${process.pid}.json`), JSON.stringify({
        argv: process.argv.slice(1, 3),
        maxRssKb: u.maxRSS,
        cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000,
      }));
    } catch {
      // the figure then lacks this process; the parent reports what it found
    }
  });
}
