import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from '../helpers';

/** Each construct class has a test file of its own, at the same path under test/constructs. */
describe('construct tests', () => {
  it('exist for every file under constructs/ that defines a construct', () => {
    const root = path.join(REPO_ROOT, 'constructs');
    const files = (fs.readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).sort();
    const constructFiles = files.filter((f) =>
      /export class \w+(<[^>]*>)? extends (Construct|TerraformResource|TerraformProvider|TerraformStack)\b/.test(
        fs.readFileSync(path.join(root, f), 'utf8'),
      ),
    );
    expect(constructFiles.length).toBeGreaterThan(20);
    const missing = constructFiles.filter((f) => !fs.existsSync(path.join(REPO_ROOT, 'test', 'constructs', f.replace(/\.ts$/, '.test.ts'))));
    expect(missing).toEqual([]);
  });
});
