// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title PackedChainIds: a list of chain ids kept 16 × uint16 per storage slot (the seed's suggestion).
/// @notice A chain id above 65535 does not fit: a cluster using this layout would store the chain's index in
/// its member list instead. Order is kept on push; remove swaps the last entry into the hole.
library PackedChainIds {
    struct List {
        uint256 length;
        uint256[] words;
    }

    function push(List storage l, uint256 chainId) internal {
        require(chainId <= type(uint16).max, "PackedChainIds: chain id above 65535");
        uint256 n = l.length;
        if (n % 16 == 0) l.words.push(chainId);
        else l.words[n / 16] |= chainId << ((n % 16) * 16);
        l.length = n + 1;
    }

    function get(List storage l, uint256 i) internal view returns (uint256) {
        require(i < l.length, "PackedChainIds: index out of range");
        return (l.words[i / 16] >> ((i % 16) * 16)) & 0xffff;
    }

    /// @notice Removes entry i, moving the last entry into its place.
    function removeAt(List storage l, uint256 i) internal {
        uint256 n = l.length;
        require(i < n, "PackedChainIds: index out of range");
        uint256 last = n - 1;
        uint256 lastWord = l.words[last / 16];
        uint256 moved = (lastWord >> ((last % 16) * 16)) & 0xffff;
        if (last % 16 == 0) l.words.pop();
        else l.words[last / 16] = lastWord & ~(uint256(0xffff) << ((last % 16) * 16));
        if (i != last) {
            uint256 shift = (i % 16) * 16;
            l.words[i / 16] = (l.words[i / 16] & ~(uint256(0xffff) << shift)) | (moved << shift);
        }
        l.length = last;
    }

    /// @notice Every entry, in list order (one storage read per 16 entries).
    function all(List storage l) internal view returns (uint256[] memory ids) {
        uint256 n = l.length;
        ids = new uint256[](n);
        uint256 word;
        for (uint256 i = 0; i < n; i++) {
            if (i % 16 == 0) word = l.words[i / 16];
            ids[i] = (word >> ((i % 16) * 16)) & 0xffff;
        }
    }
}
