/**
 * The one place the project takes js-yaml from: its CommonJS build, loaded with `createRequire`.
 *
 * Why: js-yaml 5.5 ships two builds of the same source. The ESM build (what `import … from "js-yaml"`
 * resolves to) creates its parser state objects by object spread and parses 2 to 2.5 times slower
 * than the CommonJS build (issue 16; `npm run bench` prints both). Picked over a patch sent upstream
 * and vendored: same version, same code, no patch to carry, and reverting is one line here.
 *
 * Why `node:module` in core: the layering test allows exactly this file to import `node:module`.
 * `createRequire` here only loads a pure library, as `import` would; it reads no data, no clock and no
 * environment, so the functions below stay pure. Everything in src must import js-yaml from here, so
 * one build's `Schema`, tags and `YAMLException` never meet the other's (instanceof checks).
 */
import type * as JsYaml from "js-yaml";
import { lazyRequire } from "../lazy-require.js";

// Required at once: every check parses YAML.
const jsYaml = lazyRequire<typeof JsYaml>("js-yaml")();

export const {
  boolCoreTag,
  boolYaml11Tag,
  constructFromEvents,
  CORE_SCHEMA,
  dump,
  EVENT_ID,
  floatCoreTag,
  floatYaml11Tag,
  getScalarValue,
  intCoreTag,
  intYaml11Tag,
  load,
  loadAll,
  mapTag,
  mergeTag,
  NOT_RESOLVED,
  nullCoreTag,
  nullYaml11Tag,
  parseEvents,
  SCALAR_STYLE,
  Schema,
  seqTag,
  strTag,
  YAMLException,
} = jsYaml;
export type YAMLException = JsYaml.YAMLException;
export type Schema = JsYaml.Schema;
export type { AliasEvent, ChompingMode, Event, MappingEvent, ScalarEvent, ScalarStyle, SequenceEvent } from "js-yaml";
