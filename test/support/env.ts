// Tests log only what goes wrong unless asked otherwise.
process.env.LOG_LEVEL ??= 'warn';
