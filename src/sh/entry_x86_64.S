/* SPDX-License-Identifier: MIT */
/*
 * uring-sh's entry point (static build only): before libc's start-up runs
 * (~25 page faults), prescan() looks at the kernel's argv and execs
 * /bin/sh at once for lines that are certainly delegated. Otherwise the
 * stack and %rdx are restored untouched and libc's _start takes over.
 */
	.text
	.globl	ush_entry
	.type	ush_entry, @function
ush_entry:
	mov	%rsp, %r12
	mov	%rdx, %r13
	mov	%rsp, %rdi
	and	$-16, %rsp
	call	ush_prescan
	mov	%r12, %rsp
	mov	%r13, %rdx
	jmp	_start
	.size	ush_entry, . - ush_entry
	.section .note.GNU-stack, "", @progbits
