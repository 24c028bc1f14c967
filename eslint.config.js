// ESLint 9 flat config: JavaScript's and typescript-eslint's recommended rules, the rules of hooks.
import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

/** Node's globals for the few plain .js files (TypeScript checks names in .ts/.tsx itself). */
const nodeGlobals = {
  process: "readonly",
  console: "readonly",
  URL: "readonly",
  setTimeout: "readonly",
  clearTimeout: "readonly",
};

export default tseslint.config(
  {
    ignores: [
      "build/",
      "node_modules/",
      "playwright-report/",
      "test-results/",
      "blob-report/",
      "data/",
      ".cache/",
      ".tmp/",
      "tmp/",
      "db/migrations/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx}"],
    // TypeScript already reports undefined names, with the DOM and Node types it knows.
    rules: { "no-undef": "off" },
  },
  {
    // React code only: Playwright fixtures call a `use` that is not React's.
    files: ["app/**/*.{ts,tsx}", "emails/**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    languageOptions: { globals: nodeGlobals },
  },
  {
    // One form parser (decision 051): a body is read only by readForm, which refuses hostile forms
    // before conform/zod see them.
    files: ["app/**/*.{ts,tsx}"],
    ignores: ["app/utils/forms.server.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[callee.type='MemberExpression'][callee.property.name='formData']",
          message: "Read a posted form with readForm(request) or parseForm(request, schema) from ~/utils/forms.server.",
        },
        {
          selector: "CallExpression[callee.name='unstable_parseMultipartFormData']",
          message: "Use readForm(request, { uploadHandler }) from ~/utils/forms.server.",
        },
      ],
    },
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        {
          argsIgnorePattern: "^_",
          varsIgnorePattern: "^_",
          caughtErrorsIgnorePattern: "^_",
          destructuredArrayIgnorePattern: "^_",
          ignoreRestSiblings: true,
        },
      ],
      // Sanitisers (email headers, CSV cells) strip control characters on purpose.
      "no-control-regex": "off",
    },
  },
);
