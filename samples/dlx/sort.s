; sort.s — quicksort (Lomuto partition, recursive) of signed decimal integers.
; Input 0: the numbers, separated by anything that is not a digit or '-' (default: a built-in list).
; Output: the sorted numbers separated by spaces, then a newline.

        .data
default: .ascii "5 3 9 -2 7 0 11 4 -8 6"
dend:
        .align  2
heap:                                   ; the input text, then the array of numbers

        .text
main:   lhi     r10, heap >> 16         ; r10 = where the text goes
        ori     r10, r10, heap & 0xffff
        addi    r1, r0, 0               ; length of input 0 (READ_INPUT with room for 0 bytes)
        add     r2, r10, r0
        add     r3, r0, r0
        trap    2
        slti    r3, r1, 0
        bnez    r3, builtin
        add     r11, r10, r1            ; r11 = end of the text
        add     r3, r1, r0              ; now read it for real
        addi    r1, r0, 0
        add     r2, r10, r0
        trap    2
        j       parse0
builtin: addi   r10, r0, default
        addi    r11, r0, dend

parse0: addi    r12, r11, 3             ; r12 = the array, word aligned after the text
        srli    r12, r12, 2
        slli    r12, r12, 2
        add     r20, r12, r0            ; r20 = array start, r12 = next free slot
parse:  seq     r3, r10, r11
        bnez    r3, parsed
        lbu     r4, 0(r10)
        seqi    r3, r4, '-'
        bnez    r3, minus
        subi    r5, r4, '0'
        slti    r3, r5, 0
        bnez    r3, skip
        sgei    r3, r5, 10
        bnez    r3, skip
        add     r6, r0, r0              ; positive
        j       number
minus:  addi    r7, r10, 1              ; '-' counts only when a digit follows
        seq     r3, r7, r11
        bnez    r3, skip
        lbu     r4, 1(r10)
        subi    r5, r4, '0'
        slti    r3, r5, 0
        bnez    r3, skip
        sgei    r3, r5, 10
        bnez    r3, skip
        addi    r6, r0, 1               ; negative
        addi    r10, r10, 1
number: add     r8, r0, r0
ndigit: seq     r3, r10, r11
        bnez    r3, nend
        lbu     r4, 0(r10)
        subi    r5, r4, '0'
        slti    r3, r5, 0
        bnez    r3, nend
        sgei    r3, r5, 10
        bnez    r3, nend
        slli    r13, r8, 3              ; r8 = r8 * 10 + digit (wrapping)
        slli    r14, r8, 1
        addu    r8, r13, r14
        addu    r8, r8, r5
        addi    r10, r10, 1
        j       ndigit
nend:   beqz    r6, store
        subu    r8, r0, r8
store:  sw      0(r12), r8
        addi    r12, r12, 4
        j       parse
skip:   addi    r10, r10, 1
        j       parse

parsed: add     r1, r20, r0             ; quicksort(first, last)
        subi    r2, r12, 4
        jal     qsort
        add     r10, r20, r0            ; print them
print:  seq     r3, r10, r12
        bnez    r3, done
        seq     r3, r10, r20
        bnez    r3, nospace
        addi    r1, r0, ' '
        trap    9
nospace: lw     r1, 0(r10)
        trap    7
        addi    r10, r10, 4
        j       print
done:   addi    r1, r0, 10
        trap    9
        trap    0

; qsort(r1 = address of the first element, r2 = address of the last); clobbers r3..r8
qsort:  sge     r3, r1, r2
        bnez    r3, qret
        lw      r4, 0(r2)               ; pivot = last element
        add     r5, r1, r0              ; i: next slot for an element < pivot
        add     r6, r1, r0              ; j: scans
part:   seq     r3, r6, r2
        bnez    r3, pdone
        lw      r7, 0(r6)
        slt     r3, r7, r4
        beqz    r3, pnext
        lw      r8, 0(r5)               ; swap a[i], a[j]
        sw      0(r5), r7
        sw      0(r6), r8
        addi    r5, r5, 4
pnext:  addi    r6, r6, 4
        j       part
pdone:  lw      r8, 0(r5)               ; the pivot goes to a[i]
        sw      0(r5), r4
        sw      0(r2), r8
        subi    r29, r29, 12
        sw      0(r29), r31
        sw      4(r29), r5
        sw      8(r29), r2
        subi    r2, r5, 4               ; qsort(first, i - 1); r1 is still first
        jal     qsort
        lw      r5, 4(r29)
        lw      r2, 8(r29)
        addi    r1, r5, 4               ; qsort(i + 1, last)
        jal     qsort
        lw      r31, 0(r29)
        addi    r29, r29, 12
qret:   jr      r31
