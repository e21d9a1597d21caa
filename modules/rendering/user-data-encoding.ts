import { Fn, Token } from 'cdktf';

// A cdktf token inside a string, e.g. the image copy's id: `${TfToken[TOKEN.12]}`.
const TOKEN = /\$\{TfToken\[[^\]]+\]\}/g;

/**
 * User data as a launch template wants it, base64-encoded: at synth for plain text, or with
 * Terraform's base64encode() when the text holds references such as the image copy's id.
 */
export function userDataBase64(text: string): string {
  if (!Token.isUnresolved(text)) return Buffer.from(text, 'utf8').toString('base64');
  const tokens = text.match(TOKEN) ?? [];
  const literals = text.split(TOKEN);
  const parts = literals.map((literal, i) => hclStringText(literal, i < tokens.length) + (tokens[i] ?? ''));
  return Fn.base64encode(parts.join(''));
}

/**
 * A literal as the inside of an HCL quoted string. cdktf escapes only newlines and `${` (and
 * warns about the latter), so this escapes all of it: \, ", control characters, and `$`/`%`
 * before `{` (written as \u0024 and \u0025, which HCL never reads as the start of an interpolation).
 * A `$` right before a reference would turn it into the `$${` escape, so it is escaped too.
 */
function hclStringText(literal: string, beforeReference: boolean): string {
  const escaped = literal.replace(/[\\"\u0000-\u001f\u007f]|[$%](?=\{)/g, (c) => {
    switch (c) {
      case '\\': return '\\\\';
      case '"': return '\\"';
      case '\n': return '\\n';
      case '\r': return '\\r';
      case '\t': return '\\t';
      default: return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    }
  });
  return beforeReference && escaped.endsWith('$') ? `${escaped.slice(0, -1)}\\u0024` : escaped;
}
