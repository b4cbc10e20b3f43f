/**
 * GitHub's published GraphQL schema (@octokit/graphql-schema, kept by Octokit) as a test oracle,
 * the GraphQL counterpart of openapi.ts. A request's document is parsed and validated against the
 * schema (deprecated fields included), its variables are coerced against the operation's variable
 * types, and every connection asks for `first` or `last` between 1 and 100 as GitHub requires. A
 * reply's `data` is checked against the selection: every key was selected, every selected key is
 * there, and each value fits the field's type (non-null, lists, scalars, enums, objects).
 * The schema is built once per worker, on the first GraphQL request a test sends.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import {
  buildClientSchema,
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  getNullableType,
  getOperationAST,
  getVariableValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isAbstractType,
  isCompositeType,
  isEnumType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  Kind,
  NoDeprecatedCustomRule,
  parse,
  specifiedRules,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
} from "graphql";

const require = createRequire(import.meta.url);
let schema: GraphQLSchema | null = null;

/** The package exports only its ESM entry (which parses the schema on import); its JSON sits beside it. */
function schemaFile(): string {
  for (const dir of require.resolve.paths("@octokit/graphql-schema") ?? []) {
    const file = join(dir, "@octokit", "graphql-schema", "schema.json");
    if (existsSync(file)) return file;
  }
  throw new Error("@octokit/graphql-schema is not installed");
}

/** GitHub's GraphQL schema, built once per worker. */
export function githubGraphqlSchema(): GraphQLSchema {
  schema ??= buildClientSchema(JSON.parse(readFileSync(schemaFile(), "utf8")) as Parameters<typeof buildClientSchema>[0]);
  return schema;
}

/** A request the oracle accepted: its document, the operation run, and the coerced variables. */
export interface CheckedGraphqlRequest {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  variables: Record<string, unknown>;
}

const BODY_KEYS = new Set(["query", "variables", "operationName"]);

/**
 * Problems GitHub would have with this POST /graphql body: a body that is not `{ query, variables?,
 * operationName? }`, a syntax error, a document the schema does not validate, variables that do not
 * fit the operation's variable types (or that it does not declare), a connection without a valid
 * `first`/`last`. `checked` is set when the request would run.
 */
export function checkGraphqlRequest(body: unknown): { problems: string[]; checked?: CheckedGraphqlRequest } {
  if (!body || typeof body !== "object" || Array.isArray(body)) return { problems: ["POST /graphql: the body is not a JSON object"] };
  const fields = body as Record<string, unknown>;
  const problems = Object.keys(fields)
    .filter((key) => !BODY_KEYS.has(key))
    .map((key) => `POST /graphql: unknown body key \`${key}\``);
  if (typeof fields.query !== "string") return { problems: [...problems, "POST /graphql: the body has no `query` string"] };
  const variables = fields.variables ?? {};
  if (typeof variables !== "object" || variables === null || Array.isArray(variables))
    return { problems: [...problems, "POST /graphql: `variables` is not an object"] };
  let document: DocumentNode;
  try {
    document = parse(fields.query);
  } catch (error) {
    return { problems: [...problems, `GraphQL syntax error: ${(error as Error).message}`] };
  }
  const schema = githubGraphqlSchema();
  const invalid = validate(schema, document, [...specifiedRules, NoDeprecatedCustomRule]);
  if (invalid.length > 0) return { problems: [...problems, ...invalid.map((e) => `GraphQL document GitHub would reject: ${e.message}`)] };
  const operationName = typeof fields.operationName === "string" ? fields.operationName : undefined;
  const operation = getOperationAST(document, operationName);
  if (!operation)
    return { problems: [...problems, `GraphQL: no single operation to run${operationName ? ` named ${operationName}` : ""}`] };
  const label = operation.name?.value ?? `anonymous ${operation.operation}`;
  const declared = new Set((operation.variableDefinitions ?? []).map((d) => d.variable.name.value));
  for (const name of Object.keys(variables)) if (!declared.has(name)) problems.push(`${label}: variable \`$${name}\` is not declared`);
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables as Record<string, unknown>);
  if (coerced.errors) return { problems: [...problems, ...coerced.errors.map((e) => `${label}: ${e.message}`)] };
  problems.push(...connectionProblems({ schema, document, variables: coerced.coerced, label }));
  return { problems, checked: { document, operation, variables: coerced.coerced } };
}

/** GitHub's resource limit: every connection asks for `first` or `last`, from 1 to 100. */
function connectionProblems(params: { schema: GraphQLSchema; document: DocumentNode; variables: Record<string, unknown>; label: string }) {
  const problems: string[] = [];
  const typeInfo = new TypeInfo(params.schema);
  visit(
    params.document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const definition = typeInfo.getFieldDef();
        const type = typeInfo.getType();
        if (!definition || !type || !getNamedType(type).name.endsWith("Connection")) return;
        if (!definition.args.some((a) => a.name === "first")) return;
        const args = getArgumentValues(definition, node, params.variables);
        const size = args.first ?? args.last;
        if (typeof size !== "number" || size < 1 || size > 100)
          problems.push(`${params.label}: \`${node.name.value}\` needs \`first\` or \`last\` from 1 to 100 (GitHub's resource limits)`);
      },
    }),
  );
  return problems;
}

interface Collected {
  /** The type the field was selected on (a fragment's type condition, or the parent). */
  scope: GraphQLCompositeType;
  nodes: FieldNode[];
  /** False when the field sits in a fragment whose type the reply does not say (no `__typename`). */
  required: boolean;
}

interface ReplyContext {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  problems: string[];
}

function included(context: ReplyContext, node: SelectionNode): boolean {
  const skip = getDirectiveValues(GraphQLSkipDirective, node, context.variables);
  const include = getDirectiveValues(GraphQLIncludeDirective, node, context.variables);
  return skip?.if !== true && include?.if !== false;
}

/** Which of a fragment's type conditions apply: yes, no, or unknown (an abstract type without `__typename`). */
function applies(context: ReplyContext, condition: string | undefined, runtime: GraphQLCompositeType): boolean | undefined {
  if (!condition || condition === runtime.name) return true;
  const type = context.schema.getType(condition);
  if (!type || !isCompositeType(type)) return false;
  if (isObjectType(runtime)) return isAbstractType(type) && context.schema.isSubType(type, runtime);
  return undefined;
}

function collect(params: {
  context: ReplyContext;
  runtime: GraphQLCompositeType;
  scope: GraphQLCompositeType;
  selections: readonly SelectionNode[];
  required: boolean;
  into: Map<string, Collected>;
}): void {
  const { context, runtime, into } = params;
  for (const selection of params.selections) {
    if (!included(context, selection)) continue;
    if (selection.kind === Kind.FIELD) {
      const key = selection.alias?.value ?? selection.name.value;
      const found = into.get(key);
      if (found) {
        found.nodes.push(selection);
        found.required ||= params.required;
      } else into.set(key, { scope: params.scope, nodes: [selection], required: params.required });
      continue;
    }
    const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? context.fragments.get(selection.name.value) : selection;
    if (!fragment) continue;
    const condition = fragment.typeCondition?.name.value;
    const applying = applies(context, condition, runtime);
    if (applying === false) continue;
    const conditionType = condition ? context.schema.getType(condition) : undefined;
    const scope = conditionType && isCompositeType(conditionType) ? conditionType : params.scope;
    collect({ ...params, scope, selections: fragment.selectionSet.selections, required: params.required && applying === true });
  }
}

function fieldOf(scope: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
  return isObjectType(scope) || isInterfaceType(scope) ? scope.getFields()[name] : undefined;
}

function checkObject(params: {
  context: ReplyContext;
  type: GraphQLCompositeType;
  selections: readonly SelectionNode[];
  value: object;
  path: string;
}) {
  const { context, value, path } = params;
  const record = value as Record<string, unknown>;
  let runtime: GraphQLCompositeType = params.type;
  if (!isObjectType(runtime) && typeof record.__typename === "string") {
    const named = context.schema.getType(record.__typename);
    if (named && isObjectType(named) && context.schema.isSubType(runtime, named)) runtime = named;
    else context.problems.push(`${path}.__typename: ${record.__typename} is not a ${runtime.name}`);
  }
  const selected = new Map<string, Collected>();
  collect({ context, runtime, scope: runtime, selections: params.selections, required: true, into: selected });
  for (const key of Object.keys(record))
    if (!selected.has(key)) context.problems.push(`${path}.${key} is in the reply but was not selected`);
  for (const [key, { scope, nodes, required }] of selected) {
    const at = `${path}.${key}`;
    if (!(key in record)) {
      if (required) context.problems.push(`${at} was selected but is missing from the reply`);
      continue;
    }
    const name = nodes[0]!.name.value;
    if (name === "__typename") {
      if (typeof record[key] !== "string") context.problems.push(`${at} is not a type name`);
      else if (isObjectType(runtime) && record[key] !== runtime.name)
        context.problems.push(`${at} is ${String(record[key])}, not ${runtime.name}`);
      continue;
    }
    const field = fieldOf(scope, name) ?? fieldOf(runtime, name);
    if (!field) {
      context.problems.push(`${at}: ${scope.name} has no field ${name}`);
      continue;
    }
    checkValue({ context, type: field.type, nodes, value: record[key], path: at });
  }
}

const BUILT_IN_SCALARS: Record<string, (value: unknown) => boolean> = {
  Int: (v) => Number.isInteger(v) && Math.abs(v as number) <= 2 ** 31,
  Float: (v) => typeof v === "number" && Number.isFinite(v),
  Boolean: (v) => typeof v === "boolean",
  String: (v) => typeof v === "string",
  ID: (v) => typeof v === "string",
};

function checkValue(params: { context: ReplyContext; type: GraphQLOutputType; nodes: FieldNode[]; value: unknown; path: string }): void {
  const { context, type, value, path } = params;
  if (value === null || value === undefined) {
    if (isNonNullType(type)) context.problems.push(`${path} is null, but ${String(type)} is never null`);
    return;
  }
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    if (!Array.isArray(value)) context.problems.push(`${path} should be a list (${String(nullable)})`);
    else value.forEach((item, i) => checkValue({ ...params, type: nullable.ofType, value: item, path: `${path}[${i}]` }));
    return;
  }
  if (isScalarType(nullable)) {
    // GitHub's own scalars (DateTime, URI, GitObjectID, BigInt, ...) are all sent as strings.
    const fits = BUILT_IN_SCALARS[nullable.name] ?? ((v: unknown) => typeof v === "string");
    if (!fits(value)) context.problems.push(`${path}: ${JSON.stringify(value)} is not of type ${nullable.name}`);
    return;
  }
  if (isEnumType(nullable)) {
    if (typeof value !== "string" || !nullable.getValue(value))
      context.problems.push(
        `${path}: ${JSON.stringify(value)} is not of type ${nullable.name} (${nullable
          .getValues()
          .map((v) => v.name)
          .join(", ")})`,
      );
    return;
  }
  if (typeof value !== "object" || Array.isArray(value)) {
    context.problems.push(`${path} should be an object (${nullable.name})`);
    return;
  }
  const selections = params.nodes.flatMap((n) => n.selectionSet?.selections ?? []);
  checkObject({ context, type: nullable, selections, value, path });
}

/**
 * Problems with a reply's `data` for a checked request: keys that were not selected, selected keys
 * that are missing, values whose type the schema does not allow. `data: null` (GitHub's answer when
 * the whole operation failed) passes; the errors beside it are the caller's to check.
 */
export function checkGraphqlData(request: CheckedGraphqlRequest, data: unknown): string[] {
  if (data === null) return [];
  const schema = githubGraphqlSchema();
  const root = schema.getRootType(request.operation.operation);
  if (!root) return [`GitHub has no ${request.operation.operation} root type`];
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of request.document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const context: ReplyContext = { schema, fragments, variables: request.variables, problems: [] };
  if (typeof data !== "object" || Array.isArray(data)) return ["data should be an object"];
  const path = request.operation.name?.value ?? "data";
  checkObject({ context, type: root, selections: request.operation.selectionSet.selections, value: data, path });
  return context.problems;
}

/** The name of the operation a document runs (`operationName`, or its only operation), read without the schema. */
export function operationNameOf(query: string, operationName?: string): string | undefined {
  try {
    return getOperationAST(parse(query), operationName)?.name?.value;
  } catch {
    // A document that does not parse still gets matched by name, so that the oracle can say why it fails.
    return operationName ?? /\b(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/.exec(query)?.[1];
  }
}

/** Problems with a GraphQL error's `path`: every name on it is a field the request selected (indexes step into lists). */
export function checkGraphqlErrorPath(request: CheckedGraphqlRequest, path: readonly (string | number)[]): string[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of request.document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const fieldsOf = (selections: readonly SelectionNode[]): FieldNode[] =>
    selections.flatMap((selection) => {
      if (selection.kind === Kind.FIELD) return [selection];
      const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value) : selection;
      return fragment ? fieldsOf(fragment.selectionSet.selections) : [];
    });
  let selections: readonly SelectionNode[] = request.operation.selectionSet.selections;
  for (const [i, segment] of path.entries()) {
    if (typeof segment === "number") continue;
    const fields = fieldsOf(selections).filter((f) => (f.alias?.value ?? f.name.value) === segment);
    if (fields.length === 0)
      return [`an error's path ${JSON.stringify(path)} names \`${segment}\` (at ${i}), which the request did not select`];
    selections = fields.flatMap((f) => f.selectionSet?.selections ?? []);
  }
  return [];
}
