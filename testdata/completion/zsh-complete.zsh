# zsh -f zsh-complete.zsh SCRIPT MODE LINE
#
# Starts an interactive zsh on a pseudo-terminal, loads compinit and the
# completion SCRIPT, types LINE and a Tab, and prints what completion did:
# with MODE "matches", every match offered, one a line; with MODE
# "buffer", the command line after the Tab. Used by the tests of
# "s3cors completion zsh" (cmd/s3cors/completion_test.go).
zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z "PROMPT= ; RPROMPT= "
zpty -w z "autoload -U compinit; compinit -u -D"
zpty -w z "source ${(q)1}"
zpty -w z "bindkey '^I' complete-word"
# Markers are built at run time so that the terminal's echo of these
# lines never holds them.
zpty -w z 'mark () { echo -E - "<""$1"">$2<""end>" }'
if [[ $2 == matches ]]; then
  zpty -w z 'mark-done () { mark done }; comppostfuncs=( mark-done exit )'
  zpty -w z "zstyle ':completion:*' list-grouped false"
  # Print each match as compadd adds it (calls that only collect, with
  # -O, -A or -D, add nothing).
  zpty -w z 'compadd () {
    if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return; fi
    local -a hits; builtin compadd -A hits "$@"
    local h; for h in $hits; do mark match $h; done
  }'
  zpty -w -n z "$3"$'\t'
else
  zpty -w z 'print-buffer () { mark buffer $BUFFER; exit }; zle -N print-buffer; bindkey "^X" print-buffer'
  zpty -w -n z "$3"$'\t\C-x'
fi
local line
while zpty -r z line; do
  case $line in
    (*'<done>'*|*'<buffer>'*'<end>'*)
      [[ $line == *'<buffer>'* ]] && print -r -- "${${line##*<buffer>}%%<end>*}"
      break ;;
    (*'<match>'*'<end>'*) print -r -- "${${line##*<match>}%%<end>*}" ;;
  esac
done
zpty -d z
