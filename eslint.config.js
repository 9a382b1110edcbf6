// typescript-eslint's strict, type-checked rules over the service, its tests, the bench and scripts.
// gen/ is generated (never edited), web/dist and dist/ are build output.
import eslint from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["gen/**", "dist/**", "web/dist/**", "node_modules/**", ".deps/**", "clients/python/gen/**"] },
  eslint.configs.recommended,
  tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          // Plain JavaScript that `node --import` preloads into the built service, so in no tsconfig:
          // TypeScript's default project types it.
          allowDefaultProject: ["test/faults/support/heap-probe.mjs"],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Numbers read naturally in messages and SQL placeholders ($1, $2); objects and unions still may not.
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
      // `() => void doThing()` style is noise for one-line callbacks; a void value used anywhere else is still an error.
      "@typescript-eslint/no-confusing-void-expression": ["error", { ignoreArrowShorthand: true }],
      // A `let` that a callback reads before its one assignment (a timer the callback clears) cannot become a
      // `const` there: the callback would meet it in its temporal dead zone.
      "prefer-const": ["error", { ignoreReadBeforeAssign: true }],
      // `const { secret: _secret, ...rest } = value` is how a copy leaves keys out; other unused names still fail.
      "@typescript-eslint/no-unused-vars": ["error", { ignoreRestSiblings: true }],
    },
  },
);
