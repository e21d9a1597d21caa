/**
 * The user data an instance gets from a launch template's `user_data`: base64 written at synth,
 * or Terraform's `${base64encode("...")}` of an HCL quoted string, evaluated here as Terraform
 * would, with `reference` giving the value of each `${...}` interpolation (e.g. the copy's id).
 */
export function instanceUserData(userData: unknown, reference: (expression: string) => string = (e) => `<${e}>`): string {
  if (typeof userData !== 'string') throw new Error(`user_data is not a string: ${JSON.stringify(userData)}`);
  const call = /^\$\{base64encode\("([\s\S]*)"\)\}$/.exec(userData);
  if (call) return hclQuotedString(call[1], reference);
  const bare = /^\$\{base64encode\(([A-Za-z_][\w.-]*)\)\}$/.exec(userData);
  if (bare) return reference(bare[1]);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(userData)) throw new Error(`user_data is neither base64 nor base64encode(): ${userData.slice(0, 80)}`);
  return Buffer.from(userData, 'base64').toString('utf8');
}

/** The value of the inside of an HCL quoted template, per HCL's native syntax specification. */
function hclQuotedString(body: string, reference: (expression: string) => string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\\') {
      const e = body[++i];
      const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };
      if (e in simple) out += simple[e];
      else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(body.slice(i + 1, i + 5))) { out += String.fromCharCode(parseInt(body.slice(i + 1, i + 5), 16)); i += 4; }
      else if (e === 'U' && /^[0-9a-fA-F]{8}$/.test(body.slice(i + 1, i + 9))) { out += String.fromCodePoint(parseInt(body.slice(i + 1, i + 9), 16)); i += 8; }
      else throw new Error(`invalid HCL escape \\${e} at ${i}`);
    } else if (body.startsWith('$${', i) || body.startsWith('%%{', i)) {
      out += `${c}{`;
      i += 2;
    } else if (body.startsWith('${', i)) {
      const end = body.indexOf('}', i);
      out += reference(body.slice(i + 2, end));
      i = end;
    } else if (body.startsWith('%{', i)) {
      throw new Error(`HCL template directive at ${i}: ${body.slice(i, i + 20)}`);
    } else if (c === '"' || c === '\n' || c === '\r') {
      throw new Error(`raw ${JSON.stringify(c)} inside an HCL quoted string at ${i}`);
    } else {
      out += c;
    }
  }
  return out;
}
