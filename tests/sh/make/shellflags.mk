.SHELLFLAGS := -ec
all:
	@echo start; false; echo never-with-e
ok:
	@echo one; true; echo two
