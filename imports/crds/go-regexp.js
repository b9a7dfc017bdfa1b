'use strict';
/**
 * CRD patterns are Go RE2 expressions. JavaScript lacks RE2's leading inline flags such as `(?i)`;
 * those become RegExp flags. A pattern JavaScript still cannot compile is not checked (matches
 * anything) rather than failing every validation: the API server remains the final judge.
 */
function goRegExp(pattern, flags) {
  let p = pattern;
  let f = flags || '';
  const inline = /^\(\?([imsU]+)\)/.exec(p);
  if (inline) {
    p = p.slice(inline[0].length);
    for (const c of inline[1]) if ('ims'.includes(c) && !f.includes(c)) f += c;
  }
  try {
    return new RegExp(p, f);
  } catch {
    return /[\s\S]*/u;
  }
}
// How the generated validators (build/imports/crds/validators.js) reach this function.
goRegExp.code = 'require("../../../imports/crds/go-regexp.js").goRegExp';
module.exports = { goRegExp };
