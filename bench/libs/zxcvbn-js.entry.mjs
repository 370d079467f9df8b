// zxcvbn.js 4.4.2 (npm `zxcvbn`), bundled by bench/run.mjs with esbuild into one minified ES module.
import zxcvbn from 'zxcvbn';

export default zxcvbn;
