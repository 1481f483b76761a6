# make treats a SHELL named sh like /bin/sh: @-+ inside a .ONESHELL script
# are make's, not the shell's (named_colon.mk: `:` lines are skipped)
.ONESHELL:
all:
	@echo first
	@echo interior prefixes stripped
	-false
	+echo plus
	echo done
