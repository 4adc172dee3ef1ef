/** Label keys the Swarm provider writes on services and secrets, so it finds its own objects again. */

export const LABEL_FUNCTION = 'com.openfaas.function';
/** OpenFaaS's back-compat discovery marker; also what protects the stack's own services from DELETE. */
export const LABEL_FUNCTION_MARKER = 'function';
export const LABEL_ANNOTATION_PREFIX = 'com.openfaas.annotations.';
export const LABEL_SCALE_MIN = 'com.openfaas.scale.min';
/** Marks every Docker object Skep creates (services, secrets, networks). */
export const LABEL_MANAGED = 'com.skep.managed';
/** A Skep secret's logical name; the Docker secret itself is `<name>` or `<name>-<version>` after rotation. */
export const LABEL_SECRET_NAME = 'com.skep.secret';
export const LABEL_SECRET_VERSION = 'com.skep.secret.version';
/** OpenFaaS's owner label on secrets, kept so faas-swarm-made secrets and Skep's look alike. */
export const LABEL_SECRET_OWNER = 'com.openfaas.owner';
/** Marks the overlay network functions attach to when a deployment names none. */
export const LABEL_FUNCTIONS_NETWORK = 'com.skep.functions';

/** Env variables the provider added as defaults (comma-separated), left out of a function's status. */
export const LABEL_INJECTED_ENV = 'com.skep.injected-env';

/** Labels the provider writes itself; they are not echoed back as the user's labels. */
export const INTERNAL_LABELS = new Set([LABEL_MANAGED, LABEL_INJECTED_ENV, 'com.openfaas.uid']);

/** Where function containers see their secrets, as in OpenFaaS since 2018. */
export const SECRET_MOUNT_PATH = '/var/openfaas/secrets';
