// Baseline: a hello-world action on @actions/core, bundled by ncc as this action is.
import * as core from '@actions/core';

core.info(`Hello, ${core.getInput('who') || 'world'}!`);
core.setOutput('greeting', 'hello');
