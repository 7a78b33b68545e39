// Reads the package's public surface and its TSDoc from src/ with the TypeScript compiler: each
// export of the entry points (src/index.ts, extras.ts, draft.ts), the members of its classes and
// interfaces, and the groups of members they take from interfaces the entries do not export (the
// option groups). scripts/api-reference.ts renders it as docs/api.md. Dev-only; imports nothing of
// the repository (src/ is read as files, never imported).
import { join } from "node:path";
import ts from "typescript";

/** A TSDoc comment: the text, and its block tags by name (`@defaultValue 1000` is `defaultValue: "1000"`). */
export interface Doc {
  summary: string;
  tags: Readonly<Record<string, string>>;
}

export interface ApiMember {
  /** As written in code: `linger`, `send`, `[Symbol.asyncIterator]`, `new`, a key such as `EINVAL`. */
  name: string;
  kind: "constructor" | "method" | "property" | "enum member" | "key";
  /** Its declaration as source text on one line: `send(message: M, ...options: O): Promise<void>`. */
  signature: string;
  doc: Doc;
}

/** A class, interface or enum whose members the reference lists. */
export interface ApiOwner {
  name: string;
  kind: "class" | "interface" | "enum";
  doc: Doc;
  members: ApiMember[];
  /** The other owners whose members its instances have too (a base class, merged option groups). */
  uses: string[];
}

export interface ApiExport {
  /** The name it is exported under (`Frames` for core's `Message`). */
  name: string;
  /** Exported with `export type`: the value, if any, comes from another entry. */
  typeOnly: boolean;
  kind: "class" | "interface" | "enum" | "type" | "function" | "variable";
  doc: Doc;
  /** The declaration on one line (for classes and interfaces, the heading only). */
  signature: string;
  owner: ApiOwner | null;
  /** For a type of documented keys (`keyof typeof ERRORS`): each key with its doc. */
  keys: ApiMember[];
}

export interface ApiEntry {
  /** The import specifier: `bunzmq`, `bunzmq/extras`. */
  specifier: string;
  exports: ApiExport[];
}

export interface ApiModel {
  entries: ApiEntry[];
  /** Owners reached only through exported classes and interfaces, in order of first use. */
  groups: ApiOwner[];
  /** Everything that lacks its TSDoc, as `Name.member: reason`; empty when the surface is documented. */
  problems: string[];
}

export const ENTRIES: ReadonlyArray<{ specifier: string; file: string }> = [
  { specifier: "bunzmq", file: "src/index.ts" },
  { specifier: "bunzmq/extras", file: "src/extras.ts" },
  { specifier: "bunzmq/draft", file: "src/draft.ts" },
  { specifier: "bunzmq/browser", file: "src/browser.ts" },
];

interface Exported {
  name: string;
  symbol: ts.Symbol;
  typeOnly: boolean;
}

/** Source text on one line, its comments dropped. */
const oneLine = (text: string): string =>
  text
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/\/\/[^\n]*\n/g, "\n")
    .replace(/\s*\n\s*/g, " ")
    .trim();

/** Reads the entry points as one program, under the repository's compiler options. */
export function readApiModel(root: string): ApiModel {
  const host = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} };
  const config = ts.getParsedCommandLineOfConfigFile(join(root, "tsconfig.json"), {}, host);
  const options = { ...config?.options, noEmit: true };
  return new Reader(ts.createProgram({ rootNames: ENTRIES.map((entry) => join(root, entry.file)), options })).read(root);
}

class Reader {
  readonly #checker: ts.TypeChecker;
  readonly #program: ts.Program;
  readonly #owners = new Map<ts.Declaration, ApiOwner>();
  readonly #exported = new Set<ts.Declaration>();
  readonly #groups: ApiOwner[] = [];
  /** A set, so that an owner reached from several exports is reported once. */
  readonly #problems = new Set<string>();

  constructor(program: ts.Program) {
    this.#program = program;
    this.#checker = program.getTypeChecker();
  }

  read(root: string): ApiModel {
    const symbols = ENTRIES.map(({ file }) => this.#exportsOf(this.#program.getSourceFile(join(root, file))!));
    for (const list of symbols) for (const { symbol } of list) for (const d of symbol.declarations ?? []) this.#exported.add(d);
    const entries = ENTRIES.map(({ specifier }, i) => ({ specifier, exports: symbols[i]!.map((exported) => this.#export(exported)) }));
    return { entries, groups: this.#groups, problems: [...this.#problems] };
  }

  /** The module's exports in the order its export statements name them. */
  #exportsOf(source: ts.SourceFile): Exported[] {
    const module = this.#checker.getSymbolAtLocation(source);
    if (module === undefined) return [];
    const order = (symbol: ts.Symbol) => symbol.declarations?.[0]?.getStart() ?? 0;
    return this.#checker
      .getExportsOfModule(module)
      .sort((a, b) => order(a) - order(b))
      .map((symbol) => {
        const specifier = symbol.declarations?.find(ts.isExportSpecifier);
        const typeOnly = specifier !== undefined && (specifier.isTypeOnly || specifier.parent.parent.isTypeOnly);
        return { name: symbol.name, symbol: this.#resolve(symbol)!, typeOnly };
      });
  }

  #export({ name, symbol, typeOnly }: Exported): ApiExport {
    const declarations = symbol.declarations ?? [];
    const main = declarations.find(ts.isClassDeclaration) ?? declarations.find(ts.isEnumDeclaration) ?? declarations[0]!;
    const doc = this.#doc(symbol, name);
    const base = { name, typeOnly, doc, owner: null, keys: [] };
    if (ts.isClassDeclaration(main) || ts.isInterfaceDeclaration(main) || ts.isEnumDeclaration(main)) {
      const owner = this.#owner(main);
      return { ...base, kind: owner.kind, signature: headingOf(main), owner };
    }
    if (ts.isTypeAliasDeclaration(main)) {
      const text = `type ${name}${oneLine(main.getText()).slice(oneLine(main.getText()).indexOf(main.name.text) + main.name.text.length)}`;
      return { ...base, kind: "type", signature: text, keys: this.#keys(main.type, name) };
    }
    if (ts.isFunctionDeclaration(main)) return { ...base, kind: "function", signature: `function ${name}${signatureOf(main)}` };
    const type =
      ts.isVariableDeclaration(main) && main.type !== undefined
        ? main.type.getText()
        : this.#checker.typeToString(this.#checker.getTypeOfSymbol(symbol));
    return { ...base, kind: "variable", signature: `const ${name}: ${oneLine(type)}` };
  }

  /** The owner read from a class, interface or enum declaration, once per declaration. */
  #owner(declaration: ts.ClassDeclaration | ts.InterfaceDeclaration | ts.EnumDeclaration): ApiOwner {
    const known = this.#owners.get(declaration);
    if (known !== undefined) return known;
    const symbol = this.#checker.getSymbolAtLocation(declaration.name!)!;
    const kind = ts.isClassDeclaration(declaration) ? "class" : ts.isEnumDeclaration(declaration) ? "enum" : "interface";
    const owner: ApiOwner = { name: symbol.name, kind, doc: this.#doc(symbol, symbol.name), members: [], uses: [] };
    this.#owners.set(declaration, owner);
    if (ts.isEnumDeclaration(declaration)) {
      owner.members = declaration.members.map((member) => ({
        name: member.name.getText(),
        kind: "enum member",
        signature: oneLine(member.getText()),
        doc: this.#doc(this.#checker.getSymbolAtLocation(member.name)!, `${owner.name}.${member.name.getText()}`),
      }));
      return owner;
    }
    if (ts.isClassDeclaration(declaration)) owner.members.push(...this.#constructors(declaration, owner.name));
    const type = this.#checker.getDeclaredTypeOfSymbol(symbol);
    for (const property of this.#checker.getPropertiesOfType(type)) {
      const member = property.declarations?.find((d) => !isHidden(d));
      const parent = member?.parent;
      if (member === undefined || parent === undefined || parent.getSourceFile().isDeclarationFile) continue;
      if (!ts.isClassDeclaration(parent) && !ts.isInterfaceDeclaration(parent)) continue;
      const declaringSymbol = this.#checker.getSymbolAtLocation(parent.name!)!;
      if (declaringSymbol === symbol) owner.members.push(this.#member(property, member, owner.name));
      else this.#use(owner, parent);
    }
    return owner;
  }

  /** Records that `owner` has the members of `parent`; an owner no entry exports becomes a group. */
  #use(owner: ApiOwner, parent: ts.ClassDeclaration | ts.InterfaceDeclaration): void {
    const used = this.#owner(parent);
    if (!owner.uses.includes(used.name)) owner.uses.push(used.name);
    const declarations = this.#checker.getSymbolAtLocation(parent.name!)!.declarations ?? [];
    if (!declarations.some((d) => this.#exported.has(d)) && !this.#groups.includes(used)) this.#groups.push(used);
  }

  #constructors(declaration: ts.ClassDeclaration, owner: string): ApiMember[] {
    return declaration.members.filter(ts.isConstructorDeclaration).map((ctor) => {
      const signature = this.#checker.getSignatureFromDeclaration(ctor)!;
      const summary = ts.displayPartsToString(signature.getDocumentationComment(this.#checker)).trim();
      if (summary === "") this.#problems.add(`${owner} constructor: no TSDoc`);
      const tags = tagsOf(signature.getJsDocTags());
      return { name: "new", kind: "constructor" as const, signature: `new ${owner}${signatureOf(ctor)}`, doc: { summary, tags } };
    });
  }

  #member(property: ts.Symbol, declaration: ts.Declaration, owner: string): ApiMember {
    const name = displayName(property);
    const doc = this.#doc(property, `${owner}.${name}`);
    if (ts.isMethodDeclaration(declaration) || ts.isMethodSignature(declaration)) {
      return { name, kind: "method", signature: `${name}${signatureOf(declaration)}`, doc };
    }
    return { name, kind: "property", signature: this.#propertySignature(property, name), doc };
  }

  /** `readonly name: type`; an accessor whose setter takes more shows both (`name: T (set: U)`). */
  #propertySignature(property: ts.Symbol, name: string): string {
    const declarations = property.declarations ?? [];
    const getter = declarations.find(ts.isGetAccessorDeclaration);
    const setter = declarations.find(ts.isSetAccessorDeclaration);
    const typed = declarations.find(
      (d): d is ts.PropertySignature | ts.PropertyDeclaration => ts.isPropertySignature(d) || ts.isPropertyDeclaration(d),
    );
    if (getter !== undefined) {
      const got = getter.type?.getText() ?? this.#checker.typeToString(this.#checker.getTypeOfSymbol(property));
      const set = setter?.parameters[0]?.type?.getText();
      if (setter === undefined) return `readonly ${name}: ${got}`;
      return set === got || set === undefined ? `${name}: ${got}` : `${name}: ${got} (set: ${set})`;
    }
    const readonly = typed !== undefined && ts.getCombinedModifierFlags(typed) & ts.ModifierFlags.Readonly ? "readonly " : "";
    const optional = typed?.questionToken !== undefined ? "?" : "";
    const type = typed?.type?.getText() ?? this.#checker.typeToString(this.#checker.getTypeOfSymbol(property));
    return `${readonly}${name}${optional}: ${oneLine(type)}`;
  }

  /**
   * The documented keys behind a type: `keyof typeof X` lists the properties of the object X
   * (with their values), `keyof I` the members of I; unions and aliases are followed.
   */
  #keys(node: ts.TypeNode, owner: string): ApiMember[] {
    if (ts.isUnionTypeNode(node)) return node.types.flatMap((type) => this.#keys(type, owner));
    if (ts.isTypeReferenceNode(node)) {
      const symbol = this.#resolve(this.#checker.getSymbolAtLocation(node.typeName));
      const alias = symbol?.declarations?.find(ts.isTypeAliasDeclaration);
      return alias === undefined ? [] : this.#keys(alias.type, owner);
    }
    if (!ts.isTypeOperatorNode(node) || node.operator !== ts.SyntaxKind.KeyOfKeyword) return [];
    const operand = node.type;
    const target = ts.isTypeQueryNode(operand) ? operand.exprName : ts.isTypeReferenceNode(operand) ? operand.typeName : null;
    const symbol = target === null ? undefined : this.#resolve(this.#checker.getSymbolAtLocation(target));
    const declaration = symbol?.declarations?.[0];
    if (declaration === undefined) return [];
    const members = ts.isInterfaceDeclaration(declaration)
      ? declaration.members.filter(ts.isPropertySignature).map((m) => [m.name, m.type?.getText() ?? ""] as const)
      : ts.isVariableDeclaration(declaration) && declaration.initializer !== undefined
        ? objectLiteralOf(declaration.initializer).map((p) => [p.name, p.initializer.getText()] as const)
        : [];
    return members.map(([name, value]) => ({
      name: name.getText().replace(/^"(.*)"$/, "$1"),
      kind: "key",
      signature: oneLine(value),
      doc: this.#doc(this.#checker.getSymbolAtLocation(name)!, `${owner} key ${name.getText()}`),
    }));
  }

  #resolve(symbol: ts.Symbol | undefined): ts.Symbol | undefined {
    return symbol !== undefined && symbol.flags & ts.SymbolFlags.Alias ? this.#checker.getAliasedSymbol(symbol) : symbol;
  }

  /** The symbol's TSDoc; a missing summary is recorded as a problem under `where`. */
  #doc(symbol: ts.Symbol, where: string): Doc {
    const summary = ts.displayPartsToString(symbol.getDocumentationComment(this.#checker)).trim();
    if (summary === "") this.#problems.add(`${where}: no TSDoc`);
    return { summary, tags: tagsOf(symbol.getJsDocTags(this.#checker)) };
  }
}

/** Hidden from the public declarations: private, protected (except constructors), `#names` and `@internal`. */
function isHidden(declaration: ts.Declaration): boolean {
  const name = ts.getNameOfDeclaration(declaration);
  if (name !== undefined && ts.isPrivateIdentifier(name)) return true;
  const flags = ts.getCombinedModifierFlags(declaration);
  if (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) return true;
  return ts.getJSDocTags(declaration).some((tag) => tag.tagName.text === "internal");
}

function tagsOf(tags: readonly ts.JSDocTagInfo[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const tag of tags) result[tag.name] = oneLine(ts.displayPartsToString(tag.text));
  return result;
}

/** `[Symbol.asyncIterator]` for well-known symbols, which the checker names `__@asyncIterator@12`. */
function displayName(symbol: ts.Symbol): string {
  const wellKnown = /^__@(\w+)@\d+$/.exec(symbol.name);
  return wellKnown === null ? symbol.name : `[Symbol.${wellKnown[1]}]`;
}

/** `<T>(a: A, b?: B): R` as written. */
function signatureOf(node: ts.SignatureDeclarationBase): string {
  const generics = node.typeParameters === undefined ? "" : `<${node.typeParameters.map((t) => t.getText()).join(", ")}>`;
  const parameters = node.parameters.map((p) => oneLine(p.getText())).join(", ");
  return `${generics}(${parameters})${node.type === undefined ? "" : `: ${oneLine(node.type.getText())}`}`;
}

/** `class Push extends Socket`, `interface Writable<M, O> extends SendOptionProperties`. */
function headingOf(node: ts.ClassDeclaration | ts.InterfaceDeclaration | ts.EnumDeclaration): string {
  const start = node.getStart();
  const body = node.getText().indexOf("{");
  const text = node.getSourceFile().text.slice(start, start + body);
  return oneLine(text.replace(/^export\s+/, ""));
}

function objectLiteralOf(node: ts.Expression): ts.PropertyAssignment[] {
  const inner = ts.isAsExpression(node) || ts.isSatisfiesExpression(node) ? node.expression : node;
  return ts.isObjectLiteralExpression(inner) ? inner.properties.filter(ts.isPropertyAssignment) : [];
}
