/* SPDX-License-Identifier: MIT */
/*
 * spawnbench's child: its first instructions read CLOCK_MONOTONIC and write
 * the 16-byte timespec to fd 3, then it exits. No libc, so nothing runs
 * between exec and the timestamp.
 */
	.text
	.globl	_start
_start:
	sub	$24, %rsp
	mov	$228, %eax		/* clock_gettime */
	mov	$1, %edi		/* CLOCK_MONOTONIC */
	mov	%rsp, %rsi
	syscall
	mov	$1, %eax		/* write */
	mov	$3, %edi
	mov	%rsp, %rsi
	mov	$16, %edx
	syscall
	mov	$231, %eax		/* exit_group */
	xor	%edi, %edi
	syscall
	hlt
	.section .note.GNU-stack,"",@progbits
