// @zxcvbn-ts/core 4 with the common and English language packs (dictionaries
// and adjacency graphs), bundled by bench/run.mjs with esbuild into one
// minified ES module. Set up as the package's README does.
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';

export function create() {
  return new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
    translations: en.translations,
  });
}
