.ONESHELL:
all:
	@echo first
	mkdir -p out2
	echo second > out2/f
	cat out2/f
	A=1
	echo "A is $$A"
	nosuch-command-xyz || echo handled
	echo last
