/* The init program (init/lxi_init.c), embedded in the library: lxi_spawn copies it into a sealed memfd and the
 * child runs it from there. The build compiles init/lxi_init.c first and points the assembler's include path
 * at the directory that holds the result, "lxi-init". */
    .section .rodata
    .balign 16
    .global lxi_init_image
    .hidden lxi_init_image
lxi_init_image:
    .incbin "lxi-init"
lxi_init_image_end:
    .balign 8
    .global lxi_init_image_size
    .hidden lxi_init_image_size
lxi_init_image_size:
    .quad lxi_init_image_end - lxi_init_image
    .section .note.GNU-stack,"",%progbits
