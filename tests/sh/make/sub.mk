all: a b
a b:
	@case "$$MAKEFLAGS" in *jobserver-auth*) echo "$@: jobserver";; *) echo "$@: none";; esac
	@echo "$@: level $(MAKELEVEL)"
