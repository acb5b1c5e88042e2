// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";

/// @title ThalamusAddressBook: the cluster's names, the same on every member chain.
/// @notice Predeployed (runtime code only) at 0x4200000000000000000000000000000000000033. The owner of a contract
/// (OpenZeppelin Ownable's owner()) names it on the contract's chain with register(name, target); the rtc module
/// replays every registration on every other chain (replicate, from the module's system account, in nonce order
/// per origin chain, each once). resolve(name) answers (chain id, address) on any chain. Two chains registering one
/// name at the same time: the lower chain id keeps it, on every chain.
contract ThalamusAddressBook {
    using Strings for address;

    /// @notice The rtc module's system account (keccak256("thalamus.rtc")): the only sender replicate accepts.
    address internal constant NODE = 0xC009b509706Dbd79Fe051baAcc1E79D53d1c415E;

    struct Entry {
        uint64 chainId;
        address target;
        address owner;
    }

    mapping(bytes32 key => Entry) private _entries;
    mapping(uint256 chainId => mapping(address target => string)) private _names;
    /// @notice Registrations of origin chain replayed here so far (their nonces are 1, 2, …).
    mapping(uint256 origin => uint64) public applied;
    /// @notice Registrations made on this chain so far.
    uint64 public nonce;

    /// @notice A registration on this chain (nonce: its place among this chain's registrations).
    event Registered(bytes32 indexed key, uint256 indexed chainId, address indexed target, string name, address owner, uint64 nonce);
    /// @notice Registration `nonce` of chain `origin` was replayed here.
    event Replicated(uint256 indexed origin, uint64 nonce);

    /// @notice The owner of `target` (a contract on this chain) names it. A name has 1 to 64 characters of
    /// a-z, 0-9, '-', '_', '.'; a name already given to another owner or chain is refused.
    function register(string calldata name, address target) external {
        bytes calldata text = bytes(name);
        require(text.length > 0 && text.length <= 64, "ThalamusAddressBook: a name has 1 to 64 characters");
        for (uint256 i = 0; i < text.length; ++i) {
            bytes1 c = text[i];
            require(
                (c >= "a" && c <= "z") || (c >= "0" && c <= "9") || c == "-" || c == "_" || c == ".",
                "ThalamusAddressBook: a name uses a-z, 0-9, '-', '_' and '.'"
            );
        }
        require(
            target.code.length > 0 && _ownerOf(target) == msg.sender,
            string.concat("ThalamusAddressBook: only the owner of ", target.toHexString(), " on this chain may name it")
        );
        bytes32 key = keccak256(text);
        Entry storage entry = _entries[key];
        require(
            entry.chainId == 0 || (entry.owner == msg.sender && entry.chainId == block.chainid),
            string.concat("ThalamusAddressBook: the name '", name, "' is taken")
        );
        _write(key, name, block.chainid, target, msg.sender);
        emit Registered(key, block.chainid, target, name, msg.sender, ++nonce);
    }

    /// @notice The node only: replays registration `opNonce` of chain `origin` (skipped unless it is the next one).
    function replicate(uint256 origin, uint64 opNonce, string calldata name, address target, address owner) external {
        require(msg.sender == NODE, "ThalamusAddressBook: only the node replicates");
        if (opNonce != applied[origin] + 1) return;
        applied[origin] = opNonce;
        bytes32 key = keccak256(bytes(name));
        Entry storage entry = _entries[key];
        if (entry.chainId == 0 || entry.chainId == origin || origin < entry.chainId) _write(key, name, origin, target, owner);
        emit Replicated(origin, opNonce);
    }

    /// @notice Where `name` is: its chain id and address. Reverts for a name not in the book.
    function resolve(string calldata name) external view returns (uint256 chainId, address target) {
        Entry storage entry = _entries[keccak256(bytes(name))];
        require(entry.chainId != 0, string.concat("ThalamusAddressBook: no name '", name, "' in the book"));
        return (entry.chainId, entry.target);
    }

    /// @notice The name of `target` on chain `chainId` ("" when it has none).
    function nameOf(uint256 chainId, address target) external view returns (string memory) {
        return _names[chainId][target];
    }

    function _write(bytes32 key, string calldata name, uint256 chainId, address target, address owner) private {
        Entry storage entry = _entries[key];
        if (entry.chainId != 0) delete _names[entry.chainId][entry.target];
        (entry.chainId, entry.target, entry.owner) = (uint64(chainId), target, owner);
        _names[chainId][target] = name;
    }

    function _ownerOf(address target) private view returns (address) {
        try Ownable(target).owner() returns (address owner) {
            return owner;
        } catch {
            return address(0);
        }
    }
}
