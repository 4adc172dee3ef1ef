import type Docker from 'dockerode';

/** The slice of dockerode the Swarm provider uses; unit tests hand it a plain object with just these. */
export type SwarmDocker = Pick<
  Docker,
  'createService' | 'getService' | 'listServices' | 'listTasks' | 'createSecret' | 'listSecrets' | 'getSecret' | 'listNetworks'
>;

/** A Swarm task as the tasks API returns it (the fields Skep reads). */
export interface TaskInfo {
  ID: string;
  ServiceID: string;
  NodeID?: string;
  DesiredState?: string;
  Status?: { State?: string; Timestamp?: string; ContainerStatus?: { ContainerID?: string } };
  NetworksAttachments?: { Network?: { ID?: string; Spec?: { Name?: string } }; Addresses?: string[] }[];
  Spec?: { ForceUpdate?: number };
}

/** A secret as the secrets API returns it. */
export interface SecretInfo {
  ID: string;
  Version?: { Index?: number };
  Spec?: { Name?: string; Labels?: Record<string, string> };
}

/** Injected time, so tests can step a clock instead of sleeping. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms).unref?.()),
};
