// The platform's services, one line each. The composition root (platform-app.ts) and the CDK app
// (infra/) both read this list: adding a service is a spec folder, a handler folder and a line here.
import type { ServiceModule } from './platform/module.ts';
import { authModule } from './auth/module.ts';
import { promptModule } from './prompt/module.ts';
import { modelModule } from './model/module.ts';
import { adminModule } from './admin/module.ts';
import { documentModule } from './document/module.ts';
import { openAiModule } from './openai/module.ts';
import { vectorModule } from './vector/module.ts';

// A module that requires a capability comes after the module that provides it (openai after model,
// vector after model and document).
export const MODULES: ServiceModule[] = [authModule, modelModule, promptModule, adminModule, documentModule, vectorModule, openAiModule];
