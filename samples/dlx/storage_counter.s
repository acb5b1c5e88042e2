; storage_counter.s — the unit's persistent storage: reads the counter under key 1, adds one,
; stores it back and prints "run #n". Run it again on the storage it left and it counts on.

        .data
counter: .word  0
msg:    .ascii  "run #"

        .text
main:   addi    r1, r0, 1               ; STORAGE_READ(key 1, counter, 4): absent reads nothing
        addi    r2, r0, counter
        addi    r3, r0, 4
        trap    4
        lw      r4, counter
        addi    r4, r4, 1
        sw      counter, r4
        addi    r1, r0, 1               ; STORAGE_WRITE(key 1, counter, 4)
        addi    r2, r0, counter
        addi    r3, r0, 4
        trap    5
        addi    r1, r0, msg
        addi    r2, r0, 5
        trap    3
        add     r1, r4, r0
        trap    7
        addi    r1, r0, 10
        trap    9
        trap    0
