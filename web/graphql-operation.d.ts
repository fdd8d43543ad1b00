/** A `.graphql` file as the build's graphql-operations plugin hands it over. */
declare module '*.graphql' {
  const operation: { readonly name: string; readonly text: string; readonly sha256Hash: string };
  export default operation;
}
/** Stylesheets, bundled by Vite. */
declare module '*.css';
