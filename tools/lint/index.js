// The root eslint.config.js imports typescript-eslint through this package, so that its
// `require("typescript")` resolves to this workspace's TypeScript 6 and not to the project's 7.
export { default as js } from "@eslint/js";
export { default as tseslint } from "typescript-eslint";
