// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";

/// @title MulticastHeader: the 4-byte header every multicast message starts with.
/// @notice Layout, big-endian: version (8 bits) | type (8 bits) | flags (16 bits), then the payload.
/// Types: 0x00 reserved, 0x01 SYN, 0x02 ACK, 0x03 PLAIN, 0x04 CALL. Flags: 0x0001 ACK_REQUESTED
/// (subscribers are asked to acknowledge); every other bit is reserved and refused. The C# codec
/// (Thalamus.Multicast.MulticastHeader) and this one are checked against tests/vectors/multicast-header.json.
library MulticastHeader {
    uint8 internal constant VERSION = 1;
    uint8 internal constant SYN = 0x01;
    uint8 internal constant ACK = 0x02;
    uint8 internal constant PLAIN = 0x03;
    uint8 internal constant CALL = 0x04;
    uint16 internal constant ACK_REQUESTED = 0x0001;
    uint16 internal constant KNOWN_FLAGS = ACK_REQUESTED;

    /// @notice Decodes and validates message's header; reverts with the reason when it is malformed.
    function decode(bytes calldata message) internal pure returns (uint8 version, uint8 kind, uint16 flags) {
        require(message.length >= 4, "Multicast: message shorter than its 4-byte header");
        version = uint8(message[0]);
        kind = uint8(message[1]);
        flags = uint16(bytes2(message[2:4]));
        if (version != VERSION) revert(string.concat("Multicast: unknown header version ", Strings.toString(version)));
        if (kind == 0) revert("Multicast: header type 0 is reserved");
        if (kind > CALL) revert(string.concat("Multicast: unknown header type ", Strings.toString(kind)));
        if (flags & ~KNOWN_FLAGS != 0) revert(string.concat("Multicast: unknown header flags ", Strings.toHexString(flags, 2)));
    }
}
