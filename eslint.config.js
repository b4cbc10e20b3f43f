// ESLint flat config: typescript-eslint's type-checked rules over src/ and test/.
// typescript-eslint runs on TypeScript 6's compiler API while the project compiles with TypeScript 7
// (whose package has no JavaScript API), so it comes from the tools/lint workspace, which pins 6.
import { js, tseslint } from "@gitops-bot/lint";

// Size limits of the style guide (no file in src over 400 lines, no function over 80). Files that
// exceed them for a reason say so in an eslint-disable comment; the README's design section lists them.
const sizeRules = {
  "max-lines": ["error", { max: 400, skipBlankLines: false, skipComments: false }],
  "max-lines-per-function": ["error", { max: 80, skipBlankLines: true, skipComments: true, IIFEs: true }],
};

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "tools/", "examples/", "templates/", "policies/", "coverage/"] },
  {
    files: ["src/**/*.ts", "test/**/*.ts"],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { project: "./tsconfig.json", tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      // Chosen on top of the recommended type-checked set (see the README's design section).
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/consistent-type-imports": ["error", { prefer: "type-imports", fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true },
      ],
      // Left out of the recommended set, each because it flags intent rather than mistakes here:
      // - async implementations of Promise-returning ports and fakes need no await, and dropping
      //   `async` would turn their thrown errors into synchronous throws;
      "@typescript-eslint/require-await": "off",
      // - YAML and JSON values of unknown type are turned into text on purpose (Kyverno mirrors Go's
      //   fmt); the places where an object would be wrong check for it first;
      "@typescript-eslint/no-base-to-string": "off",
      // - the escaping helpers match control characters on purpose, to make untrusted text visible.
      "no-control-regex": "off",
      // A caught value is re-raised as it came (never wrapped), whatever its type.
      "@typescript-eslint/prefer-promise-reject-errors": ["error", { allowThrowingUnknown: true }],
      // JMESPath's "unknown key" is thrown on the hot path without a stack trace, on purpose (its file says why).
      "@typescript-eslint/only-throw-error": [
        "error",
        { allow: [{ from: "file", name: "JmesPathNotFoundError", path: "src/core/policy/kyverno/jmespath-errors.ts" }] },
      ],
    },
  },
  {
    // Tests read parsed JSON and YAML payloads and poke at them; the style guide allows `any` in fixtures.
    files: ["test/**/*.ts"],
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/no-unsafe-call": "off",
    },
  },
  { files: ["src/**/*.ts"], rules: sizeRules },
);
