# bash completion for tlsmedic                              -*- shell-script -*-
#
# Asks the installed program itself, so the lists never go stale: options
# from --help, finding ids from --explain, scenario names from --demo=list.
# Self-contained: needs no helpers from the bash-completion package.

_tlsmedic_options()
{
	# the lines of --help that declare options: "  -o, --output FILE"
	"$1" --help 2>/dev/null | awk '$1 ~ /^-/ {
		for (i = 1; i <= NF && $i ~ /^-/; i++) {
			o = $i; sub(/,$/, "", o)
			if (sub(/\[=.*/, "", o)) print o "="
			else sub(/=.*/, "=", o)
			print o
		} }' | sort -u
}

_tlsmedic()
{
	local cur prev prog=${COMP_WORDS[0]}
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=
	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	COMPREPLY=()
	# bash splits "--demo=x" into "--demo" "=" "x" (COMP_WORDBREAKS has =)
	if [[ $cur == = ]]; then
		cur=
	elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then
		prev=${COMP_WORDS[COMP_CWORD - 2]}=
	fi
	case $prev in
	--explain)
		COMPREPLY=($(compgen -W "$("$prog" --explain 2>/dev/null |
		    awk '/^  [a-z_]+\.[a-z_.]+ / { print $1 }')" -- "$cur"))
		return
		;;
	--demo=)
		COMPREPLY=($(compgen -W "list $("$prog" --demo=list 2>/dev/null |
		    cut -f1)" -- "$cur"))
		return
		;;
	-o | --output | --ca-file)
		COMPREPLY=($(compgen -f -- "$cur"))
		compopt -o filenames 2>/dev/null
		return
		;;
	--timeout | --resolve | --sni | --proxy | --starttls | --time-server)
		# a value of the user's own (a number, a name, an address)
		case $prev in
		--starttls)
			COMPREPLY=($(compgen -W "smtp imap pop3 ftp xmpp ldap
			    postgres" -- "$cur"))
			;;
		esac
		return
		;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_tlsmedic_options "$prog")" -- "$cur"))
		[[ ${COMPREPLY[*]} == *= ]] && compopt -o nospace 2>/dev/null
	fi
} && complete -F _tlsmedic tlsmedic
