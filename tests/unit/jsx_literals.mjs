// Prints, as JSON, every user-visible literal in the given .tsx files: JSX text with a letter in it,
// and string-literal values of attributes people read (aria-label, placeholder, title, alt...).
// Parsed with the TypeScript compiler (web/node_modules), so generics and comments never confuse it.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";

const [webDir, ...files] = process.argv.slice(2);
const ts = createRequire(join(resolve(webDir), "package.json"))("typescript");
const READ_ATTRIBUTES = new Set(["aria-label", "aria-description", "aria-placeholder", "aria-roledescription", "aria-valuetext", "placeholder", "title", "alt", "label"]);
const LETTER = /\p{L}/u;
// Attributes whose values are not read by people; any other attribute given a phrase (two words or
// more: a component's emptyText, caption, message...) is text that needs t().
const CODE_ATTRIBUTES = new Set(["class", "className", "style", "href", "src", "id", "for", "htmlFor", "type", "name",
  "autocomplete", "autoComplete", "inputMode", "pattern", "rel", "target", "role", "key", "method", "accept", "lang",
  "dir", "kind", "d", "viewBox", "fill", "stroke", "transform", "data-testid", "aria-labelledby", "aria-describedby",
  "aria-controls", "aria-current", "aria-live", "aria-busy", "form", "sizes", "srcset", "media", "path", "pdfPath", "documentPath", "totalClass"]);
const PHRASE = /\p{L}+\s+\p{L}+/u;
// What a person types rather than reads (a URL scheme or an address as a placeholder) is no language.
const NOT_WORDS = /^["'`]?(?:[a-z][a-z+.-]*:\/\/\S*|[^\s@]+@[^\s@]+)["'`]?$/;
const found = [];

for (const file of files) {
  const text = readFileSync(file, "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const report = (node, what) => {
    const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
    found.push({ file, line: line + 1, what });
  };
  const visit = (node) => {
    if (node.kind === ts.SyntaxKind.JsxText && LETTER.test(node.text)) report(node, node.text.trim());
    if (node.kind === ts.SyntaxKind.JsxAttribute && READ_ATTRIBUTES.has(node.name.getText(source))) {
      let value = node.initializer;
      if (value && value.kind === ts.SyntaxKind.JsxExpression) value = value.expression;
      if (value && (ts.isStringLiteral(value) || ts.isNoSubstitutionTemplateLiteral(value) || ts.isTemplateExpression(value))
        && LETTER.test(value.getText(source).replace(/\$\{[^}]*\}/g, "")) && !NOT_WORDS.test(value.getText(source)))
        report(node, node.getText(source));
    }
    if (node.kind === ts.SyntaxKind.JsxAttribute && !READ_ATTRIBUTES.has(node.name.getText(source))
      && !CODE_ATTRIBUTES.has(node.name.getText(source)) && node.initializer && ts.isStringLiteral(node.initializer)
      && PHRASE.test(node.initializer.text))
      report(node, node.getText(source));
    // A string literal shown as a JSX child: {"Loading…"} or {busy ? "Saving…" : "Save"}.
    if (node.kind === ts.SyntaxKind.JsxExpression && node.expression) {
      const literals = [];
      const collect = (expr) => {
        if (ts.isParenthesizedExpression(expr)) collect(expr.expression);
        else if (ts.isConditionalExpression(expr)) { collect(expr.whenTrue); collect(expr.whenFalse); }
        else if (ts.isBinaryExpression(expr) && [ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken].includes(expr.operatorToken.kind)) collect(expr.right);
        else if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) literals.push(expr);
        else if (ts.isTemplateExpression(expr)) literals.push(expr);
      };
      if (node.parent && (ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent))) collect(node.expression);
      for (const literal of literals) {
        const words = literal.getText(source).replace(/\$\{[^}]*\}/g, "");
        if (LETTER.test(words)) report(literal, literal.getText(source));
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}
process.stdout.write(JSON.stringify(found));
