/* SPDX-License-Identifier: MIT */
/*
 * long uspawn_clone_call(long nr, long a0, long a1, long a2,
 *                        int (*fn)(void *), void *arg)
 *
 * Runs clone3(a0 = args, a1 = size) when nr is SYS_clone3, or
 * clone(a0 = flags, a1 = stack, a2 = parent_tid) when nr is SYS_clone, and
 * in the child calls fn(arg) on the new stack, then exit(fn's value). The
 * child never returns here: the parent's frame lives on a stack the child
 * must not touch. Returns the child's pid or -errno in the parent.
 */
#if defined(__x86_64__)
	.text
	.globl	uspawn_clone_call
	.hidden	uspawn_clone_call
	.type	uspawn_clone_call, @function
uspawn_clone_call:
	.cfi_startproc
	/* r8 (fn) and r9 (arg) survive the syscall; the child needs them. */
	mov	%rdi, %rax
	mov	%rsi, %rdi
	mov	%rdx, %rsi
	mov	%rcx, %rdx
	xor	%r10d, %r10d
	syscall
	test	%rax, %rax
	jz	1f
	ret
1:
	.cfi_undefined rip
	xor	%ebp, %ebp
	mov	%r9, %rdi
	call	*%r8
	mov	%eax, %edi
	mov	$60, %eax	/* exit: the thread group is this task alone */
	syscall
	hlt
	.cfi_endproc
	.size	uspawn_clone_call, .-uspawn_clone_call
#endif
	.section .note.GNU-stack,"",@progbits
