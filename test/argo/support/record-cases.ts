// Records the oracle's answers into a regression file test/fixtures/oracle/<domain>.json:
// `npm run oracle:build` then `CDK8S_ARGOCD_ORACLE=<binary> npx tsx test/argo/support/record-cases.ts <domain>`.
// Each case's `input` is asked of the oracle's op and the answer is written next to it, as the
// oracle gave it (Argo CD's result or its error text); plain `npm test` replays the file.
import * as fs from 'fs';
import * as path from 'path';
import { oracle } from './oracle';

async function main(): Promise<void> {
  const domain = process.argv[2];
  if (!domain) throw new Error('usage: record-cases.ts <domain>');
  const file = path.join(__dirname, '..', '..', 'fixtures', 'oracle', `${domain}.json`);
  const data = JSON.parse(fs.readFileSync(file, 'utf8'));
  const answers = await oracle().askAll(data.op, data.cases.map((c: any) => c.input));
  data.cases.forEach((c: any, i: number) => {
    const a = answers[i];
    c.answer = a.ok ? { ok: true, result: a.result } : { ok: false, error: a.error };
  });
  fs.writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  oracle().close();
}

main().catch((e) => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});
