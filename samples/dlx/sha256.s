; sha256.s — SHA-256 (FIPS 180-4) of input 0, printed as 64 lowercase hex digits and a newline.
; No input hashes the empty message. The message and its padding are built in memory after the
; data ("heap"), so inputs can be as large as the memory limit allows.
; Registers: r8..r15 = a..h, r6 = W, r7 = K, r25 = H, r27 = -1 (for NOT), r4 = current block.

        .data
hash:   .word   0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a  ; H0..H7, updated in place
        .word   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
k:
        .word   0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5
        .word   0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5
        .word   0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3
        .word   0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174
        .word   0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc
        .word   0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da
        .word   0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7
        .word   0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967
        .word   0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13
        .word   0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85
        .word   0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3
        .word   0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070
        .word   0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5
        .word   0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3
        .word   0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208
        .word   0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
hexdig: .ascii  "0123456789abcdef"
out:    .space  65
        .align  2
w:      .space  256                     ; the message schedule W[0..63]
heap:

        .text
main:   addi    r27, r0, -1
        lhi     r2, heap >> 16
        ori     r2, r2, heap & 0xffff
        addi    r1, r0, 0               ; L = length of input 0 (0 if there is none)
        add     r3, r0, r0
        trap    2
        sgei    r3, r1, 0
        bnez    r3, haslen
        add     r1, r0, r0
haslen: add     r20, r1, r0
        add     r3, r20, r0             ; read the message to heap (r2 is kept by the trap)
        addi    r1, r0, 0
        trap    2
        add     r4, r2, r20             ; padding: 0x80, zeros, then the bit length (64-bit big-endian)
        addi    r5, r0, 0x80
        sb      0(r4), r5
        addi    r6, r20, 72             ; padded size = (L + 9 + 63) rounded down to 64
        srli    r6, r6, 6
        slli    r6, r6, 6
        add     r21, r2, r6             ; r21 = end of the padded message
        srli    r5, r20, 29
        sw      -8(r21), r5
        slli    r5, r20, 3
        sw      -4(r21), r5
        add     r4, r2, r0
        lhi     r6, w >> 16
        ori     r6, r6, w & 0xffff
        lhi     r7, k >> 16
        ori     r7, r7, k & 0xffff
        lhi     r25, hash >> 16
        ori     r25, r25, hash & 0xffff

block:  seq     r3, r4, r21
        bnez    r3, finish
        add     r16, r0, r0             ; W[0..15] = the block (memory is big-endian, like SHA-256)
copy:   add     r17, r4, r16
        lw      r18, 0(r17)
        add     r17, r6, r16
        sw      0(r17), r18
        addi    r16, r16, 4
        slti    r3, r16, 64
        bnez    r3, copy
extend: add     r17, r6, r16            ; W[i] = W[i-16] + s0(W[i-15]) + W[i-7] + s1(W[i-2])
        lw      r18, -60(r17)
        srli    r19, r18, 7
        slli    r22, r18, 25
        or      r19, r19, r22
        srli    r22, r18, 18
        slli    r23, r18, 14
        or      r22, r22, r23
        xor     r19, r19, r22
        srli    r22, r18, 3
        xor     r19, r19, r22           ; s0
        lw      r18, -8(r17)
        srli    r24, r18, 17
        slli    r22, r18, 15
        or      r24, r24, r22
        srli    r22, r18, 19
        slli    r23, r18, 13
        or      r22, r22, r23
        xor     r24, r24, r22
        srli    r22, r18, 10
        xor     r24, r24, r22           ; s1
        lw      r18, -64(r17)
        addu    r19, r19, r18
        lw      r18, -28(r17)
        addu    r19, r19, r18
        addu    r19, r19, r24
        sw      0(r17), r19
        addi    r16, r16, 4
        slti    r3, r16, 256
        bnez    r3, extend

        lw      r8, 0(r25)              ; a..h = H0..H7
        lw      r9, 4(r25)
        lw      r10, 8(r25)
        lw      r11, 12(r25)
        lw      r12, 16(r25)
        lw      r13, 20(r25)
        lw      r14, 24(r25)
        lw      r15, 28(r25)
        add     r16, r0, r0
round:  srli    r17, r12, 6             ; S1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
        slli    r18, r12, 26
        or      r17, r17, r18
        srli    r18, r12, 11
        slli    r19, r12, 21
        or      r18, r18, r19
        xor     r17, r17, r18
        srli    r18, r12, 25
        slli    r19, r12, 7
        or      r18, r18, r19
        xor     r17, r17, r18
        and     r18, r12, r13           ; ch = (e & f) ^ (~e & g)
        xor     r19, r12, r27
        and     r19, r19, r14
        xor     r18, r18, r19
        addu    r17, r17, r15           ; temp1 = h + S1 + ch + K[i] + W[i]
        addu    r17, r17, r18
        add     r19, r7, r16
        lw      r18, 0(r19)
        addu    r17, r17, r18
        add     r19, r6, r16
        lw      r18, 0(r19)
        addu    r17, r17, r18
        srli    r18, r8, 2              ; S0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
        slli    r19, r8, 30
        or      r18, r18, r19
        srli    r19, r8, 13
        slli    r22, r8, 19
        or      r19, r19, r22
        xor     r18, r18, r19
        srli    r19, r8, 22
        slli    r22, r8, 10
        or      r19, r19, r22
        xor     r18, r18, r19
        and     r19, r8, r9             ; maj = (a & b) ^ (a & c) ^ (b & c)
        and     r22, r8, r10
        xor     r19, r19, r22
        and     r22, r9, r10
        xor     r19, r19, r22
        addu    r18, r18, r19           ; temp2 = S0 + maj
        add     r15, r14, r0            ; h = g, g = f, f = e, e = d + temp1,
        add     r14, r13, r0            ; d = c, c = b, b = a, a = temp1 + temp2
        add     r13, r12, r0
        addu    r12, r11, r17
        add     r11, r10, r0
        add     r10, r9, r0
        add     r9, r8, r0
        addu    r8, r17, r18
        addi    r16, r16, 4
        slti    r3, r16, 256
        bnez    r3, round

        lw      r18, 0(r25)             ; H += a..h
        addu    r18, r18, r8
        sw      0(r25), r18
        lw      r18, 4(r25)
        addu    r18, r18, r9
        sw      4(r25), r18
        lw      r18, 8(r25)
        addu    r18, r18, r10
        sw      8(r25), r18
        lw      r18, 12(r25)
        addu    r18, r18, r11
        sw      12(r25), r18
        lw      r18, 16(r25)
        addu    r18, r18, r12
        sw      16(r25), r18
        lw      r18, 20(r25)
        addu    r18, r18, r13
        sw      20(r25), r18
        lw      r18, 24(r25)
        addu    r18, r18, r14
        sw      24(r25), r18
        lw      r18, 28(r25)
        addu    r18, r18, r15
        sw      28(r25), r18
        addi    r4, r4, 64
        j       block

finish: addi    r26, r0, hexdig         ; hex digits of H0..H7 into out
        addi    r17, r0, out
        add     r16, r0, r0
hexword: add    r19, r25, r16
        lw      r18, 0(r19)
        addi    r22, r0, 28
hexnib: srl     r19, r18, r22
        andi    r19, r19, 15
        add     r19, r26, r19
        lbu     r19, 0(r19)
        sb      0(r17), r19
        addi    r17, r17, 1
        subi    r22, r22, 4
        sgei    r3, r22, 0
        bnez    r3, hexnib
        addi    r16, r16, 4
        slti    r3, r16, 32
        bnez    r3, hexword
        addi    r19, r0, 10
        sb      0(r17), r19
        addi    r1, r0, out
        addi    r2, r0, 65
        trap    3
        trap    0
