;;; drive.el --- c2py-lsp in Emacs through eglot, configured by the README's snippet (snippet.el).
;; Run: emacs --batch -l drive.el, from a folder holding snippet.el, lesson.c and lesson.py; writes
;; what Emacs saw to $C2PY_EMACS_OUT, one "key: value" per line. Every wait is bounded.
(load-file "snippet.el")              ; as `emacs -Q -l snippet.el`: the snippet loads eglot itself
(setq eglot-sync-connect 15)
(defvar c2py-out nil)
(defun c2py-record (key fmt &rest args)
  (push (format "%s: %s" key (apply #'format fmt args)) c2py-out))
(defun c2py-wait (seconds predicate)
  (let ((deadline (+ (float-time) seconds)))
    (while (and (< (float-time) deadline) (not (funcall predicate)))
      (accept-process-output nil 0.05))
    (funcall predicate)))
(condition-case err
    (progn
      (find-file "lesson.c")
      (c-mode)                          ; runs c-mode-hook: eglot-ensure, as for a user
      (run-hooks 'post-command-hook)    ; eglot-ensure connects after the command that opened the file
      (c2py-wait 20 #'eglot-current-server)
      (c2py-record "server" "%S" (and (eglot-current-server)
                                      (process-command (jsonrpc--process (eglot-current-server)))))
      (c2py-wait 20 #'flymake-diagnostics)
      (dolist (d (flymake-diagnostics)) (c2py-record "diagnostic" "%s" (flymake-diagnostic-text d)))
      (goto-char (point-min))
      (search-forward "malloc(")
      (backward-char 2)
      (let ((hover (jsonrpc-request (eglot-current-server) :textDocument/hover
                                    (eglot--TextDocumentPositionParams))))
        (c2py-record "hover" "%s" (replace-regexp-in-string "\n" " " (plist-get (plist-get hover :contents) :value)))
        ;; What eglot shows of it: its own rendering, without the characters made invisible.
        (let* ((shown (eglot--format-markup (plist-get hover :contents)))
               (visible (apply #'string (seq-filter #'identity
                                                    (seq-map-indexed (lambda (ch i) (and (not (get-text-property i 'invisible shown)) ch))
                                                                     shown)))))
          (c2py-record "hover-shown" "%s" (replace-regexp-in-string "\n" "\\\\n" visible))
          (c2py-record "markdown-mode" "%S" (fboundp 'gfm-view-mode))))
      (goto-char (point-min))
      (search-forward "realloc(arr")
      (let ((actions (jsonrpc-request (eglot-current-server) :textDocument/codeAction
                                      (list :textDocument (eglot--TextDocumentIdentifier)
                                            :range (list :start (eglot--pos-to-lsp-position)
                                                         :end (eglot--pos-to-lsp-position))
                                            :context (list :diagnostics [])))))
        (mapc (lambda (a) (c2py-record "action" "%s" (plist-get a :title))) actions)
        ;; Apply the quick fix the way eglot applies a code action's edit.
        (let ((fix (seq-find (lambda (a) (string-match-p "through a temporary" (plist-get a :title))) actions)))
          (when fix
            (eglot--apply-workspace-edit (plist-get fix :edit))
            (c2py-record "after-fix" "%s" (replace-regexp-in-string "\n" "\\\\n" (buffer-string))))))
      (c2py-record "configuration" "%S" (eglot--workspace-configuration-plist (eglot-current-server)))
      (find-file "lesson.py")
      (python-mode)
      (run-hooks 'post-command-hook)
      (c2py-wait 20 #'eglot-current-server)
      (c2py-record "python-server" "%S" (and (eglot-current-server) t))
      (c2py-record "hooks" "%S" (mapcar (lambda (h) (and (boundp h) (memq #'eglot-ensure (symbol-value h)) t))
                                        '(c-mode-hook c-ts-mode-hook python-mode-hook python-ts-mode-hook)))
      (c2py-record "servers" "%d" (length (hash-table-values eglot--servers-by-project))))
  (error (c2py-record "error" "%S" err)))
(with-temp-file (getenv "C2PY_EMACS_OUT")
  (insert (mapconcat #'identity (reverse c2py-out) "\n") "\n"))
(kill-emacs 0)
