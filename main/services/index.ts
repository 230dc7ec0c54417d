// Public surface of the composition root.
export { createServices, type LoadDrivesOptions, type Services, type ServicesOptions } from './services.js';
export { driveAccount, toSupervisedDrive } from './supervised-drive.js';
export { SupervisorTreeProvider, type SupervisorLike } from './supervisor-tree-provider.js';
export { isSettled, waitSettled, type SettleSource } from './wait-settled.js';
