/** A template folder's definition: `kind: Template`, its parameters, sizes and examples. */
export const TEMPLATE_FILE = "template.yaml";
/** The Argo CD Application every request gets, at the catalog's root. */
export const APPLICATION_FILE = "argocd-application.yaml";
