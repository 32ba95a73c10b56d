// normlint's version as the CLI reports it (`--version`, SARIF's tool.driver.version). It must equal
// package.json's; test/cli/sarif.test.ts checks that it does.
export const normlintVersion = '0.1.0';
