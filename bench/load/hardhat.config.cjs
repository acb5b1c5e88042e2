// Hardhat 2 only as the reference node for the load benchmark: no Solidity compile step (the
// artifacts come from contracts/), the same dev accounts as thalamus node (the test mnemonic),
// chain id 31337, automine.
module.exports = {
  paths: { sources: './no-sources', cache: './.hardhat-cache', artifacts: './.hardhat-artifacts' },
  networks: {
    hardhat: {
      chainId: 31337,
      accounts: { mnemonic: 'test test test test test test test test test test test junk', count: 10 },
      mining: { auto: true },
    },
  },
};
